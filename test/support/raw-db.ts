/**
 * Direct database access for tests that play an attacker or inspect state: it bypasses the
 * application on purpose (tampering, counting rows), through the server's own driver layer
 * (server/src/database/driver.ts) on a connection of its own.
 */
import type { AppConfig } from '../../server/src/config/config.js';
import { directOptions } from '../../server/src/database/data-sources.js';
import { openDriver } from '../../server/src/database/driver.js';

export interface RawDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, any>[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function openRawDb(config: AppConfig): Promise<RawDb> {
  const driver = await openDriver(directOptions(config.database));
  return {
    all: (sql, params = []) => driver.run((s) => s.all(sql, params)),
    run: async (sql, params = []) => {
      await driver.run((s) => s.exec(sql, params));
    },
    close: () => driver.close(),
  };
}
