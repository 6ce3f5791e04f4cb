/**
 * The throwaway qualification study: a second application, in this process, with the same build, on
 * its own temporary database (SQLite: a file in a private temporary folder; PostgreSQL: a temporary
 * schema of the configured database, reached through `search_path`), its own signing key and
 * checkpoint file, the bundled demo protocol and demo users with a random password, listening on an
 * ephemeral loopback port. Production tables, key and checkpoint file are never opened by it. It is
 * closed and dropped at the end, whatever happened.
 */
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, type DatabaseConfig } from '../../config/config.js';
import { PACKAGE_ROOT } from '../../config/package-root.js';
import { directOptions } from '../../database/data-sources.js';
import { withConnection } from '../../database/driver.js';
import { seedDemoIfEmpty } from '../demo/demo-seed.js';

export interface Throwaway {
  app: INestApplication;
  config: AppConfig;
  baseUrl: string;
  password: string;
  /** Direct access to the throwaway database, bypassing the application (tamper check only). */
  raw(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

/** The qualification protocol: the bundled demo trial (known arms, strata and policy). */
export const QUALIFICATION_PROTOCOL = join(PACKAGE_ROOT, 'protocols', 'msct-ms.yaml');

/**
 * Builds an application from a config (create-app.ts's createApp). Injected (APP_FACTORY, provided by
 * app.module.ts) rather than imported: the application contains this module.
 */
export type AppFactory = (config: AppConfig, options: { serveConsole?: boolean }) => Promise<INestApplication>;
export const APP_FACTORY = 'APP_FACTORY';

export async function startThrowaway(
  createApp: AppFactory,
  base: AppConfig,
  protocolFile = QUALIFICATION_PROTOCOL,
): Promise<Throwaway> {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-qualification-'));
  const password = randomBytes(12).toString('base64url');
  let schema: string | null = null;
  let app: INestApplication | null = null;
  const cleanup = async () => {
    if (app) await app.close().catch(() => undefined);
    if (schema && base.database.dialect === 'postgres')
      await withConnection(directOptions(base.database), (sql) =>
        sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      ).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let database: DatabaseConfig;
    if (base.database.dialect === 'postgres') {
      schema = `blindrand_qualification_${Date.now()}_${randomBytes(3).toString('hex')}`;
      await withConnection(directOptions(base.database), (sql) => sql.exec(`CREATE SCHEMA ${schema}`));
      const url = new URL(base.database.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      database = { dialect: 'postgres', url: url.toString() };
    } else {
      database = { ...base.database, path: join(dir, 'qualification.sqlite'), synchronous: 'FULL' };
    }
    const config: AppConfig = {
      ...base,
      port: 0,
      host: '127.0.0.1',
      database,
      signingKeyPath: join(dir, 'audit-signing.key'),
      checkpointLogPath: join(dir, 'audit-checkpoints.jsonl'),
      protocolFile,
      demo: { enabled: true, password, studyStatus: 'active' },
      smtpUrl: null,
      authThrottlePerMinute: 1_000_000,
      lockoutThreshold: 100,
    };
    // Nest's logger is process-wide: `logger: false` here would silence the production app from now
    // on; the default (errors and warnings, as main.ts has it) is kept.
    app = await createApp(config, { serveConsole: false });
    await seedDemoIfEmpty(app, password, 'active');
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    const raw = rawAccess(config);
    const opened = app;
    return {
      app: opened,
      config,
      baseUrl: `http://127.0.0.1:${port}`,
      password,
      raw,
      dispose: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function rawAccess(config: AppConfig): Throwaway['raw'] {
  return (statement, params = []) =>
    withConnection(directOptions(config.database), (sql) => sql.all(statement, params));
}
