/** Which sales a history or report reads: one source (channel or store) and/or one stock location. */
export interface SalesScope {
  source: string | null;
  location: string | null;
}

/** ` AND source = ? AND location = ?` for the scope's set fields. */
export function scopeFilter(scope: SalesScope, alias = ''): { sql: string; parameters: string[] } {
  const clauses: string[] = [];
  const parameters: string[] = [];
  if (scope.source !== null) {
    clauses.push(`${alias}source = ?`);
    parameters.push(scope.source);
  }
  if (scope.location !== null) {
    clauses.push(`${alias}location = ?`);
    parameters.push(scope.location);
  }
  return { sql: clauses.map((clause) => ` AND ${clause}`).join(''), parameters };
}
