/**
 * second-factor.key (docs/DEPLOYMENT.md: back it up with the signing key, never with the database).
 * A backup taken as documented — the database (SQLite's online backup), the signing key, the
 * checkpoint file and the second-factor key — restored onto a fresh folder serves the same TOTP codes
 * and recovery codes. Restored without that key, or with another or a damaged one, the server does not
 * start: one line names the file, and nothing is written (no new key made over the sealed secrets, which
 * would leave every enrolled account unable to sign in while the server looked healthy).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Decode, totpCode } from '../../server/src/modules/auth/totp.js';
import { Api, DEMO_PASSWORD, startServer, type ServerProcess } from '../support/index.js';
import { SERVER_ENTRY as MAIN, CLI_ENTRY as CLI } from '../support/index.js';

/** Kept beside the database (the checkpoint file exists once a checkpoint was signed). */
const KEYS = ['audit-signing.key', 'audit-checkpoints.jsonl', 'second-factor.key'];

function envFor(dir: string): Record<string, string> {
  return {
    DATABASE_PATH: join(dir, 'blindrand.sqlite'),
    SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
    DEMO_PASSWORD,
    AUTH_THROTTLE_PER_MINUTE: '100000',
  };
}

/** Every file of the folder and its content (to show a refused start wrote nothing). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('-shm')) continue;
    out[name] = readFileSync(join(dir, name)).toString('base64');
  }
  return out;
}

const post = async (base: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
};

describe('second-factor.key: backed up and restored with the signing key [MFA-006]', () => {
  const root = mkdtempSync(join(tmpdir(), 'blindrand-2fa-key-'));
  const live = join(root, 'live');
  const backup = join(root, 'backup');
  let secret: Buffer;
  let recoveryCodes: string[];
  let n = 0;

  /** The backup, restored into a fresh folder (`leave`: a file not restored). */
  function restore(leave?: string): string {
    const dir = join(root, `restored-${n++}`);
    mkdirSync(dir);
    for (const f of readdirSync(backup)) if (f !== leave) copyFileSync(join(backup, f), join(dir, f));
    return dir;
  }

  beforeAll(async () => {
    mkdirSync(live);
    mkdirSync(backup);
    const server = await startServer(envFor(live));
    try {
      const api = new Api(server.baseUrl);
      const admin = await api.login('admin');
      // investigator1's demo second factor is replaced by one set up here, with its recovery codes.
      const me = await post(server.baseUrl, '/api/auth/login', {
        username: 'investigator1',
        password: DEMO_PASSWORD,
        totp: await api.secondFactor.code('investigator1'),
      });
      expect(me.status).toBe(200);
      const reset = await post(
        server.baseUrl,
        `/api/users/${me.body.user.id}/second-factor/reset`,
        { reason: 'test: a second factor with recovery codes' },
        admin,
      );
      expect(reset.status).toBe(204);
      const first = await post(server.baseUrl, '/api/auth/login', {
        username: 'investigator1',
        password: DEMO_PASSWORD,
      });
      expect(first.status).toBe(200);
      const token = first.body.accessToken;
      const enrolment = await post(server.baseUrl, '/api/auth/second-factor/enrol', {}, token);
      secret = base32Decode(enrolment.body.secret);
      const confirmed = await post(
        server.baseUrl,
        '/api/auth/second-factor/confirm',
        { code: totpCode(secret, Date.now()) },
        token,
      );
      expect(confirmed.status).toBe(200);
      recoveryCodes = confirmed.body.recoveryCodes;
      // The backup, while the server runs: the database through SQLite's online backup, then the files.
      const db = new Database(join(live, 'blindrand.sqlite'), { readonly: true });
      await db.backup(join(backup, 'blindrand.sqlite'));
      db.close();
      for (const f of KEYS) if (existsSync(join(live, f))) copyFileSync(join(live, f), join(backup, f));
      expect(existsSync(join(backup, 'second-factor.key'))).toBe(true);
    } finally {
      await server.kill();
    }
  }, 90_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('restored onto a fresh folder, the same TOTP code and a recovery code sign in', async () => {
    const dir = restore();
    let server: ServerProcess | null = null;
    try {
      server = await startServer(envFor(dir));
      const withCode = await post(server.baseUrl, '/api/auth/login', {
        username: 'investigator1',
        password: DEMO_PASSWORD,
        totp: totpCode(secret, Date.now()),
      });
      expect(withCode.status).toBe(200);
      expect(withCode.body.user.secondFactor).toMatchObject({ enrolled: true, recoveryCodesRemaining: 10 });
      const withRecovery = await post(server.baseUrl, '/api/auth/login', {
        username: 'investigator1',
        password: DEMO_PASSWORD,
        totp: recoveryCodes[0],
      });
      expect([withRecovery.status, withRecovery.body.recoveryCodesRemaining]).toEqual([200, 9]);
      // A demo account's seeded secret opens too (every sealed secret, not only the newest).
      expect((await new Api(server.baseUrl).login('monitor')).length).toBeGreaterThan(0);
    } finally {
      await server?.kill();
    }
  }, 60_000);

  /** Starts on `dir` and expects one line naming the fault, exit code 1, and no file changed. */
  function expectRefusal(dir: string, pattern: RegExp): void {
    const before = contents(dir);
    const r = spawnSync('node', [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...envFor(dir) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = r.stderr.trim().split('\n').filter(Boolean);
    console.log(`refused: ${lines.join(' / ')}`);
    expect(r.status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^blindrand: cannot start: /);
    expect(lines[0]).toMatch(pattern);
    expect(lines[0]).toMatch(/nothing was written/);
    expect(contents(dir)).toEqual(before);
  }

  it('restored without second-factor.key: refused, and no new key is made', () => {
    const dir = restore('second-factor.key');
    expectRefusal(
      dir,
      /second-factor key file \S+second-factor\.key is missing, but [1-9]\d* account\(s\) have a second factor sealed with it: restore it/,
    );
    expect(existsSync(join(dir, 'second-factor.key'))).toBe(false);
  });

  it('another key (a fresh one, or the key of another installation) in its place: refused', () => {
    const dir = restore();
    writeFileSync(join(dir, 'second-factor.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expectRefusal(
      dir,
      /second-factor key file \S+second-factor\.key is not the key that sealed this database's second factors/,
    );
  });

  it('an empty or damaged key file: refused, naming the file', () => {
    const dir = restore();
    writeFileSync(join(dir, 'second-factor.key'), '', { mode: 0o600 });
    expectRefusal(dir, /second-factor key file \S+second-factor\.key is corrupt/);
  });

  it('the key lost for good: `user reset-second-factors` removes every second factor (audited), the server starts and people enrol again', async () => {
    const dir = restore('second-factor.key');
    const cli = spawnSync(
      'node',
      [CLI, 'user', 'reset-second-factors', '--reason', 'second-factor.key lost with the old host'],
      { env: { PATH: process.env.PATH ?? '', ...envFor(dir) }, encoding: 'utf8', timeout: 60_000 },
    );
    expect([cli.status, cli.stderr]).toEqual([0, '']);
    expect(cli.stdout).toMatch(/^removed [1-9]\d* second factor\(s\); their owners enrol again/);
    let server: ServerProcess | null = null;
    try {
      server = await startServer(envFor(dir));
      const signIn = await post(server.baseUrl, '/api/auth/login', {
        username: 'investigator1',
        password: DEMO_PASSWORD,
      });
      expect(signIn.status).toBe(200);
      expect(signIn.body.user.secondFactor).toMatchObject({ required: true, enrolled: false });
      // Enrolment seals the new secret under a new key file.
      const enrol = await post(server.baseUrl, '/api/auth/second-factor/enrol', {}, signIn.body.accessToken);
      expect(enrol.status).toBe(200);
      expect(existsSync(join(dir, 'second-factor.key'))).toBe(true);
    } finally {
      await server?.kill();
    }
    const db = new Database(join(dir, 'blindrand.sqlite'), { readonly: true });
    const resets = db
      .prepare("SELECT details FROM audit_log WHERE action = 'user.second_factor_reset' AND reason LIKE '%lost%'")
      .all() as Array<{ details: string }>;
    db.close();
    expect(resets.length).toBeGreaterThan(0);
    // Each says the key was lost, and from what state the factor went.
    for (const r of resets)
      expect(JSON.parse(r.details)).toEqual({
        keyLost: true,
        changes: { secondFactor: { old: expect.stringMatching(/^(enrolled|pending)$/), new: 'none' } },
      });
  }, 90_000);
});
