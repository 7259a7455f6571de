/** Renders flat rows as RFC 4180 CSV with a header line; nested values are written as JSON (REST CSV answers, digest attachments). */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [columns.map(escapeCell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => escapeCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function escapeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Spreadsheets read a text cell starting with = + - @, a tab or a carriage return as a formula.
  // Only a plain number keeps its sign: `-1+HYPERLINK(…)` starts like one but is not.
  const formula = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text);
  const safe = formula ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
