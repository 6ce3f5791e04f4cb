import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MAIN = join(process.cwd(), 'dist', 'server', 'src', 'main.js');

describe('start-up: configuration checks, OpenAPI, health', () => {
  it.each([
    ['PORT', 'not-a-port', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must start with postgres/],
    ['DEMO_STUDY_STATUS', 'locked', /DEMO_STUDY_STATUS must be "active" or "setup"/],
    ['SESSION_IDLE_SECONDS', '5', /SESSION_IDLE_SECONDS must be between/],
  ])('a bad %s is one clear line and exit code 1, no stack trace', (name, value, message) => {
    const r = spawnSync('node', [MAIN], { env: { PATH: process.env.PATH, [name]: value, DATABASE_PATH: '/tmp/never-created/x.sqlite' }, encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat \w|\.js:\d+/);
  });

  it('throttles sign-in attempts per client (@nestjs/throttler)', async () => {
    const t = await startTestApp({ AUTH_THROTTLE_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.api.post('/api/auth/login', { username: 'nobody-here', password: 'x' })).status);
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

    it('publishes the OpenAPI document with the contract\'s paths', async () => {
      const res = await t.api.get('/api/docs-json');
      expect(res.status).toBe(200);
      const paths = Object.keys(res.body.paths);
      for (const p of ['/api/auth/login', '/api/study', '/api/participants/{id}/randomize', '/api/pharmacy/tasks', '/api/allocation-log', '/api/audit/verify', '/api/users', '/api/sites']) expect(paths).toContain(p);
      expect((await t.api.get('/api/docs')).status).toBe(200);
    });

    it('health checks the database', async () => {
      expect((await t.api.get('/api/health')).body).toEqual({ status: 'ok', db: 'ok' });
    });
  });
});
