/**
 * CSV for exports (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (=, +, @, or
 * a dash not starting a number) are prefixed with an apostrophe: an inspector opening an export
 * must never execute text a user typed.
 */
function cell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+@\t\r]/.test(s) || /^-(?![\d.])/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per row, in the given column order. */
export function toCsv<T extends object>(rows: T[], columns: Array<keyof T & string>): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
