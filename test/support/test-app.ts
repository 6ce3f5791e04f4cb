/**
 * Boots the whole application in a child process (app-host.ts) on its own database and talks to it
 * over real HTTP. The database is a copy of the tier's migrated, seeded template when the app's
 * settings allow it (template-db.ts), else a fresh one: a temporary SQLite file, or a new database in
 * the throwaway PostgreSQL cluster when DB=postgres.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../server/src/config/config.js';
import { forkAppHost } from './app-process.js';
import { DEMO_PASSWORD, testServerEnv, usingPostgres, type Argon2Cost } from './env.js';
import { createPostgresDatabase } from './postgres-db.js';
import { copyTemplate, templateFor } from './template-db.js';

export { DEMO_PASSWORD, usingPostgres } from './env.js';

export interface TestApp {
  child: ChildProcess;
  config: AppConfig;
  baseUrl: string;
  dir: string;
  api: Api;
  /** Moves the server's clock forward (session expiry) without sleeping. */
  advanceClock(ms: number): Promise<void>;
  /** One IPC request to the app (app-host.ts: the multi-study schema hooks). */
  ask<T = any>(message: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** A small HTTP client: JSON in, JSON (or text) out, never throws on a status. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body: body as T, text, headers: res.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { token, body, headers });
  }

  patch<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PATCH', path, { token, body });
  }

  /** Signs in and returns the access token (throws if sign-in fails). */
  async login(username: string, password = DEMO_PASSWORD): Promise<string> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
    return res.body.accessToken;
  }
}

export interface TestAppOptions {
  /** false: no demo data (an empty database). */
  demo?: boolean;
  /** `production` for the tests that read the stored hash or time argon2 verifications; default `test`. */
  argon2?: Argon2Cost;
}

/** Boots the app on its own database in a child process; resolves when it listens. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-test-'));
  const demo = options.demo !== false;
  const base: Record<string, string> = {
    ...testServerEnv(options.argon2),
    DATABASE_PATH: join(dir, 'db.sqlite'),
    SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
    TEST_DEMO: demo ? '1' : '0',
  };
  const template = templateFor(env, demo, options.argon2 ?? 'test', usingPostgres);
  if (template) Object.assign(base, await copyTemplate(template, dir, testServerEnv(options.argon2)));
  else if (usingPostgres) base.DATABASE_URL = await createPostgresDatabase('t');
  const host = await forkAppHost({ ...base, ...env });
  const baseUrl = `http://127.0.0.1:${host.port}`;
  return {
    child: host.child,
    config: host.config,
    baseUrl,
    dir,
    api: new Api(baseUrl),
    advanceClock: host.advanceClock,
    ask: host.ask,
    async close() {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
