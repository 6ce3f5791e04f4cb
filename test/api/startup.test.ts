import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { SERVER_ENTRY as MAIN } from '../support/index.js';

describe('start-up: configuration checks, OpenAPI, health', () => {
  it.each([
    ['PORT', 'not-a-port', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must start with postgres/],
    ['DEMO_STUDY_STATUS', 'locked', /DEMO_STUDY_STATUS must be "active" or "setup"/],
    ['SESSION_IDLE_SECONDS', '5', /SESSION_IDLE_SECONDS must be between/],
  ])('a bad %s is one clear line and exit code 1, no stack trace', (name, value, message) => {
    const r = spawnSync('node', [MAIN], {
      env: { PATH: process.env.PATH, [name]: value, DATABASE_PATH: '/tmp/never-created/x.sqlite' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat \w|\.js:\d+/);
  });

  it('throttles sign-in attempts per client (@nestjs/throttler) [ACC-010]', async () => {
    const t = await startTestApp({ AUTH_THROTTLE_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await t.api.post('/api/auth/login', { username: 'nobody-here', password: 'x' })).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      const limited = await t.api.post('/api/auth/login', { username: 'admin', password: 'whatever' });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('TOO_MANY_ATTEMPTS');
    } finally {
      await t.close();
    }
  });

  describe('a running app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => t.close());

    it("publishes the OpenAPI document with the contract's paths [REL-007]", async () => {
      const res = await t.api.get('/api/docs-json');
      expect(res.status).toBe(200);
      const paths = Object.keys(res.body.paths);
      // Study routes are documented under their study (docs/API.md: the v1 paths without one are aliases).
      for (const p of [
        '/api/auth/login',
        '/api/studies',
        '/api/studies/{studyCode}/study',
        '/api/studies/{studyCode}/participants/{id}/randomize',
        '/api/studies/{studyCode}/pharmacy/tasks',
        '/api/studies/{studyCode}/allocation-log',
        '/api/studies/{studyCode}/audit/verify',
        '/api/users',
        '/api/sites',
      ])
        expect(paths).toContain(p);
      expect((await t.api.get('/api/docs')).status).toBe(200);
    });

    it('health checks the database [REL-007]', async () => {
      expect((await t.api.get('/api/health')).body).toEqual({ status: 'ok', db: 'ok', writer: 'ok' });
    });
  });

  describe('the signing key over signed history (SQLite and PostgreSQL)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blindrand-startkey-'));
    const keyPath = join(dir, 'audit-signing.key');
    let env: Record<string, string>;
    let head: () => Promise<string>;
    beforeAll(async () => {
      const t = await startTestApp({
        DATABASE_PATH: join(dir, 'db.sqlite'),
        SIGNING_KEY_PATH: keyPath,
        CHECKPOINT_EVERY: '5',
      });
      try {
        const auditor = await t.api.login('auditor');
        expect((await t.api.post('/api/audit/checkpoints', { reason: 'before the key test' }, auditor)).status).toBe(
          201,
        );
        const db = t.config.database;
        env =
          db.dialect === 'postgres'
            ? { DATABASE_URL: db.url, SIGNING_KEY_PATH: keyPath }
            : { DATABASE_PATH: db.path, SIGNING_KEY_PATH: keyPath };
      } finally {
        await t.close();
      }
      // What "nothing written" is checked against: the chain head and the checkpoints, read directly.
      head = async () => {
        if (!usingPostgres) {
          const { default: Database } = await import('better-sqlite3');
          const db = new Database(env.DATABASE_PATH, { readonly: true });
          const row = JSON.stringify([
            db.prepare('SELECT * FROM audit_head').all(),
            db.prepare('SELECT COUNT(*) AS n FROM audit_checkpoints').get(),
          ]);
          db.close();
          return row;
        }
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        const row = JSON.stringify([
          (await client.query('SELECT * FROM audit_head')).rows,
          (await client.query('SELECT COUNT(*) AS n FROM audit_checkpoints')).rows,
        ]);
        await client.end();
        return row;
      };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const refusal = async (pattern: RegExp) => {
      const before = await head();
      const r = spawnSync('node', [MAIN], {
        env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', ...env },
        encoding: 'utf8',
        timeout: 60000,
      });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      expect(await head()).toBe(before);
    };

    it('a deleted key is refused and not re-created [AUDIT-010]', async () => {
      renameSync(keyPath, `${keyPath}.away`);
      try {
        await refusal(
          /signing key file \S+ is missing, but the database holds \d+ audit entries, [1-9]\d* signed checkpoints/,
        );
        expect(existsSync(keyPath)).toBe(false);
      } finally {
        renameSync(`${keyPath}.away`, keyPath);
      }
    });

    it('an empty key file is named, with no DECODER error [AUDIT-010]', async () => {
      const pem = readFileSync(keyPath, 'utf8');
      writeFileSync(keyPath, '');
      try {
        await refusal(/^blindrand: cannot start: the signing key file \S+audit-signing\.key is empty/);
      } finally {
        writeFileSync(keyPath, pem);
      }
    });
  });
});
