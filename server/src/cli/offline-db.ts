/**
 * Opens a blindrand database for the CLI without the server: a SQLite file read-only (safe while
 * the server runs, thanks to WAL), or PostgreSQL from a URL. Returns a minimal query function.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { CliError } from './cli-error.js';

export interface OfflineDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openOfflineDb(opts: { db?: string; databaseUrl?: string }): Promise<OfflineDb> {
  if (opts.databaseUrl) {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect().catch((e: Error) => {
      throw new CliError(`cannot connect to PostgreSQL: ${e.message}`);
    });
    return {
      all: async (sql, params = []) => {
        let n = 0;
        return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
      },
      close: () => client.end(),
    };
  }
  if (!opts.db) throw new CliError('give --db FILE (SQLite) or --database-url URL (PostgreSQL)');
  if (!existsSync(opts.db)) throw new CliError(`no database file at ${opts.db}`);
  const db = new Database(opts.db, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    all: async (sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    close: async () => {
      db.close();
    },
  };
}
