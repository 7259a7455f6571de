/** Something that runs SQL: a migration's query runner, or a DataSource (the history bench refills after its bulk load). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
