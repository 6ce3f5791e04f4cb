/**
 * Direct database access for tests that play an attacker or inspect state: it bypasses the
 * application on purpose (tampering, counting rows).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppConfig } from '../../server/src/config/config.js';

export interface RawDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, any>[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openRawDb(config: AppConfig): Promise<RawDb> {
  if (config.database.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: config.database.url });
    await client.connect();
    const positional = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async (sql, params = []) => (await client.query(positional(sql), params)).rows,
      run: async (sql, params = []) => {
        await client.query(positional(sql), params);
      },
      close: () => client.end(),
    };
  }
  const db = new Database(config.database.path);
  db.pragma('busy_timeout = 5000');
  return {
    all: async (sql, params = []) => db.prepare(sql).all(...params) as Record<string, any>[],
    run: async (sql, params = []) => {
      db.prepare(sql).run(...params);
    },
    close: async () => {
      db.close();
    },
  };
}
