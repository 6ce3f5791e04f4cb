/**
 * Boots the whole application in-process on a fresh database — a temporary SQLite file, or a new
 * database in the throwaway PostgreSQL cluster when DB=postgres — and talks to it over real HTTP.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../../server/src/config/config.js';
import { createPostgresDatabase } from './postgres-db.js';

export const DEMO_PASSWORD = 'demo-password-1';
export const usingPostgres = process.env.DB === 'postgres';

export interface TestApp {
  child: ChildProcess;
  config: AppConfig;
  baseUrl: string;
  dir: string;
  api: Api;
  /** Moves the server's clock forward (session expiry) without sleeping. */
  advanceClock(ms: number): Promise<void>;
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

  async request<T = any>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<ApiResponse<T>> {
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

const HOST = join(dirname(fileURLToPath(import.meta.url)), 'app-host.js');

/** Boots the app on a fresh database in a child process; resolves when it listens. */
export async function startTestApp(env: Record<string, string> = {}, options: { demo?: boolean } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-test-'));
  const base: Record<string, string> = {
    DATABASE_PATH: join(dir, 'db.sqlite'),
    SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
    AUTH_THROTTLE_PER_MINUTE: '100000',
    DEMO_PASSWORD,
    TEST_DEMO: options.demo === false ? '0' : '1',
  };
  if (usingPostgres) base.DATABASE_URL = await createPostgresDatabase('t');
  const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...base, ...env };
  const child = fork(HOST, [], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; config: AppConfig }>((resolve, reject) => {
    child.once('message', (m: any) => (m.type === 'ready' ? resolve(m) : reject(new Error(`unexpected ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`test app exited with code ${code} before listening`)));
  });
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  return {
    child,
    config: ready.config,
    baseUrl,
    dir,
    api: new Api(baseUrl),
    advanceClock: (ms) =>
      new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send({ type: 'advance', ms });
      }),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.send({ type: 'close' });
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
