/** Column types that differ between the two dialects; everything else is written once. */
import type { Dialect } from '../sql.js';

export interface Ddl {
  /** For the rare step whose statements differ by more than a type (018's SQLite table rebuilds). */
  dialect?: Dialect;
  bool: string;
  true: string;
  false: string;
  /** ISO-8601 UTC text: sorts correctly and reads back the same on both dialects. */
  ts: string;
  json: string;
}

export function ddlFor(dialect: Dialect): Ddl {
  return dialect === 'postgres'
    ? { dialect, bool: 'BOOLEAN', true: 'TRUE', false: 'FALSE', ts: 'VARCHAR(32)', json: 'TEXT' }
    : { dialect, bool: 'INTEGER', true: '1', false: '0', ts: 'VARCHAR(32)', json: 'TEXT' };
}
