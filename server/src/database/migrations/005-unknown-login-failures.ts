import type { Ddl } from './ddl.js';

/**
 * Failed sign-ins for usernames that have no active account, counted in the database instead of
 * in one process's memory: with several instances (or after a restart) an invented name must lock
 * after exactly as many failures as a real one, or the difference tells real names from invented.
 */
export function unknownLoginFailures(t: Ddl): string[] {
  return [
    `CREATE TABLE unknown_login_failures (
      name_hash VARCHAR(64) PRIMARY KEY,
      failed_attempts INTEGER NOT NULL,
      created_at ${t.ts} NOT NULL,
      updated_at ${t.ts} NOT NULL)`,
  ];
}
