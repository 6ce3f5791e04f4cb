/**
 * CSV for exports (RFC 4180 quoting). A cell beginning with =, +, -, @, tab or carriage return is
 * one a spreadsheet may run as a formula, so it is prefixed with an apostrophe — unless the whole
 * cell is a plain number (-2.5 stays a number). Checking only the first characters is not enough:
 * `-2+3+cmd|' /C calc'!A0` starts like a number and is a live formula (OWASP CSV injection).
 */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function guardCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

function cell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  s = guardCell(s);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header line and one line per row, in the given column order. */
export function toCsv<T extends object>(rows: T[], columns: Array<keyof T & string>): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
