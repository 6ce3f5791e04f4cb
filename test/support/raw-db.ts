/**
 * Direct database access for tests that play an attacker or inspect state: it bypasses the
 * application on purpose (tampering, counting rows), through the server's own driver layer
 * (server/src/database/driver.ts) on a connection of its own.
 */
import type { AppConfig } from '../../server/src/config/config.js';

export interface RawDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, any>[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openRawDb(config: AppConfig): Promise<RawDb> {
  // Loaded on first use: TypeORM and the migrations cost every test file that imports test support
  // (Jest loads modules again per file) a second or more, and most never open a raw connection.
  const { directOptions } = await import('../../server/src/database/data-sources.js');
  const { openDriver } = await import('../../server/src/database/driver.js');
  const driver = await openDriver(directOptions(config.database));
  return {
    all: (sql, params = []) => driver.run((s) => s.all(sql, params)),
    run: async (sql, params = []) => {
      await driver.run((s) => s.exec(sql, params));
    },
    close: () => driver.close(),
  };
}
