import type { TimeRange } from './history.repository';

const DAY_MS = 86_400_000;

/**
 * A range cut where `sku_sales_day` can serve it: the whole UTC days inside it (null when there are
 * none) and the parts before and after them, which only the raw lines can answer.
 */
export function splitAtDays(range: TimeRange): { days: TimeRange | null; edges: TimeRange[] } {
  const firstDay = Math.ceil(range.from / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(range.to / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return { days: null, edges: range.from < range.to ? [range] : [] };
  const edges = [
    { from: range.from, to: firstDay },
    { from: lastDay, to: range.to },
  ].filter((edge) => edge.from < edge.to);
  return { days: { from: firstDay, to: lastDay }, edges };
}

/**
 * SQL reading whole days from `sku_sales_day` and the edges from `inventory_event_lines`, as one
 * UNION ALL of rows with the same columns: `dayColumns` and `lineColumns` are their select lists,
 * `lineFilter` an extra condition on the lines, `scope` a condition (with its parameters) on both.
 */
export function daysAndEdges(
  range: TimeRange,
  select: { dayColumns: string; lineColumns: string; lineFilter: string },
  scope: { sql: string; parameters: unknown[] },
): { sql: string; parameters: unknown[] } {
  const { days, edges } = splitAtDays(range);
  const parts: string[] = [];
  const parameters: unknown[] = [];
  if (days) {
    parts.push(`SELECT ${select.dayColumns} FROM sku_sales_day WHERE day_at >= ? AND day_at < ?${scope.sql}`);
    parameters.push(new Date(days.from), new Date(days.to), ...scope.parameters);
  }
  for (const edge of edges) {
    parts.push(
      `SELECT ${select.lineColumns} FROM inventory_event_lines
       WHERE occurred_at >= ? AND occurred_at < ?${select.lineFilter}${scope.sql}`,
    );
    parameters.push(new Date(edge.from), new Date(edge.to), ...scope.parameters);
  }
  // An empty range still needs a well-formed (empty) table.
  if (parts.length === 0) parts.push(`SELECT ${select.dayColumns} FROM sku_sales_day WHERE 1 = 0`);
  return { sql: parts.join(' UNION ALL '), parameters };
}
