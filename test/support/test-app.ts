/**
 * Boots the whole application in a child process (app-host.ts) on its own database and talks to it
 * over real HTTP. The database is a copy of the tier's migrated, seeded template when the app's
 * settings allow it (template-db.ts), else a fresh one: a temporary SQLite file, or a new database in
 * the throwaway PostgreSQL cluster when DB=postgres.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../server/src/config/config.js';
import { forkAppHost } from './app-process.js';
import { DEMO_PASSWORD, testSecondFactor, testServerEnv, usingPostgres, type Argon2Cost } from './env.js';
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

/**
 * A small HTTP client: JSON in, JSON (or text) out, never throws on a status. It adds the
 * second-factor codes the server asks for (env.ts testSecondFactor: the demo secret, and the
 * secrets of accounts it enrolled): at sign-in, on a session's first signature (`signature.totp`,
 * unless the body sets `totp` itself) and on every co-signature.
 */
export class Api {
  readonly secondFactor = testSecondFactor();

  constructor(readonly baseUrl: string) {
    // Test servers accept a code twice (env.ts); startTestApp says when one does not.
    this.secondFactor.reuseSteps = true;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const me = (tok: string) => this.get('/api/auth/me', tok);
    const res = await this.secondFactor.exchange(options.body, options.token, me, (sent) => {
      let payload: string | undefined = options.raw;
      if (sent !== undefined) {
        payload = JSON.stringify(sent);
        headers['content-type'] ??= 'application/json';
      }
      return this.send(method, path, headers, payload);
    });
    const text = res.text;
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body: body as T, text, headers: res.headers };
  }

  /** Keep-alive connections to this app, as fetch keeps them. */
  private readonly agent = new http.Agent({ keepAlive: true });

  /**
   * One exchange over node:http, sending what fetch sends (its default headers, `content-length`, text/plain for
   * a bare string) and reading the answer as fetch's `text()` does (UTF-8, a leading BOM dropped). fetch cost this
   * process several times the CPU per request (web streams, abort signals; issue 14); the server sees the same
   * request. No redirect is followed: no route these clients call redirects (the OIDC callback is fetched by hand).
   */
  private send(
    method: string,
    path: string,
    given: Record<string, string>,
    payload: string | undefined,
  ): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = { ...FETCH_DEFAULT_HEADERS };
    // fetch trims a value's surrounding whitespace (`Bearer ` is sent as `Bearer`).
    for (const [name, value] of Object.entries(given))
      headers[name.toLowerCase()] = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (payload !== undefined) {
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
      headers['content-length'] = String(Buffer.byteLength(payload));
    } else if (['POST', 'PUT', 'PATCH'].includes(method.toUpperCase())) headers['content-length'] = '0';
    return new Promise((resolve, reject) => {
      const req = http.request(this.baseUrl + path, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        // A server killed mid-answer (the reliability tier's crashes): fail as fetch does instead of waiting forever.
        res.on('close', () => res.complete || reject(new Error('the connection closed before the answer ended')));
        res.on('end', () => {
          const out = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) out.append(raw[i], raw[i + 1]);
          resolve({ status: res.statusCode ?? 0, text: new TextDecoder().decode(Buffer.concat(chunks)), headers: out });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
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

  /** Signs in (with a code, enrolling an account that needs a second factor) and returns the token; throws if refused. */
  async login(username: string, password = DEMO_PASSWORD): Promise<string> {
    const res = await this.secondFactor.signIn((p, b, t) => this.post(p, b, t), username, password);
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
    return res.body.accessToken;
  }
}

/** The headers Node's fetch (undici) adds to every request. */
const FETCH_DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
};

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
  const api = new Api(baseUrl);
  const final = { ...base, ...env };
  api.secondFactor.reuseSteps = final.BLINDRAND_TOTP_REPLAY === 'allow';
  return {
    child: host.child,
    config: host.config,
    baseUrl,
    dir,
    api,
    async advanceClock(ms: number) {
      await host.advanceClock(ms);
      api.secondFactor.clockOffsetMs += ms;
    },
    ask: host.ask,
    async close() {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
