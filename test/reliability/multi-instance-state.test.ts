import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newParticipant, randomize } from '../support/factories.js';
import { createPostgresDatabase } from '../support/postgres-db.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';

/**
 * State that must not live in one process's memory (issue 12 Build-10 and Build-3): failed sign-ins
 * of unknown usernames, and the same Idempotency-Key arriving at two instances at once. Three
 * server processes on one PostgreSQL, restarted in the middle.
 */
describe('three instances on one PostgreSQL: lockout and idempotency', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-multi-'));
  let servers: ServerProcess[] = [];
  let env: Record<string, string>;
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const apis = () => servers.map((s) => new Api(s.baseUrl));

  async function startAll(): Promise<void> {
    servers.push(await startServer(env)); // seeds the demo on first start
    for (let i = 0; i < 2; i++) servers.push(await startServer({ ...env, DEMO: 'false' }));
  }

  it('unknown and known names lock after exactly 5 failures in total across instances, answer alike, and stay locked after restarts [ACC-003]', async () => {
    env = {
      DATABASE_URL: await createPostgresDatabase('multi'),
      SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
      DEMO_PASSWORD,
      AUTH_THROTTLE_PER_MINUTE: '100000',
    };
    await startAll();

    const attempt = async (i: number, username: string, password = 'wrong-password') => {
      const res = await apis()[i % 3].post('/api/auth/login', { username, password });
      return { status: res.status, body: res.body };
    };
    const unknown: Array<{ status: number; body: unknown }> = [];
    const known: Array<{ status: number; body: unknown }> = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await attempt(i, 'ghost-of-nobody'));
      known.push(await attempt(i, 'auditor'));
    }
    console.log(
      `lockout across 3 instances: unknown ${unknown.map((r) => r.status).join(',')}; known ${known.map((r) => r.status).join(',')}`,
    );
    expect(unknown.map((r) => r.status)).toEqual([401, 401, 401, 401, 429]);
    expect(known).toEqual(unknown); // same statuses and bodies at every step
    for (let i = 0; i < 3; i++) {
      expect(await attempt(i, 'ghost-of-nobody')).toEqual(await attempt(i, 'auditor', DEMO_PASSWORD));
      expect((await attempt(i, 'auditor', DEMO_PASSWORD)).status).toBe(429);
    }

    for (const s of servers) await s.kill('SIGTERM');
    servers = [];
    await startAll();
    for (let i = 0; i < 3; i++) {
      const ghost = await attempt(i, 'ghost-of-nobody');
      expect(ghost.status).toBe(429);
      expect(await attempt(i, 'auditor', DEMO_PASSWORD)).toEqual(ghost);
    }
    // A name never tried before starts from zero on any instance.
    expect((await attempt(2, 'another-ghost')).status).toBe(401);
  }, 600_000);

  it('the same Idempotency-Key on two instances at once: both 201 with the one response; another user gets 422 [RAND-006]', async () => {
    const [a, b] = apis();
    const tokens = {
      a: await a.login('investigator1'),
      b: await b.login('investigator1'),
      other: await b.login('investigator2'),
    };
    const outcomes: number[][] = [];
    for (let i = 0; i < 10; i++) {
      // Spread over the strata: the demo list holds only a few entries per stratum.
      const id = await newParticipant(a, tokens.a, {
        site: 'A',
        course: (['RRMS', 'SPMS', 'PPMS'] as const)[i % 3],
        edss: i % 2 ? 4 : 6,
      });
      const key = `multi-${i}-${id}`;
      const [first, second] = await Promise.all([randomize(a, tokens.a, id, key), randomize(b, tokens.b, id, key)]);
      outcomes.push([first.status, second.status]);
      if (first.status !== 201 || second.status !== 201)
        console.log(
          `same key, attempt ${i}: ${first.status} ${first.text.slice(0, 200)} / ${second.status} ${second.text.slice(0, 200)}`,
        );
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      const thief = await randomize(b, tokens.other, id, key);
      expect([thief.status, thief.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(thief.text).not.toContain(first.body.treatmentCode);
    }
    console.log(`same key on two instances: ${outcomes.map((o) => o.join('/')).join(' ')}`);
    const verify = await a.get('/api/audit/verify', await a.login('admin'));
    expect(verify.body.valid).toBe(true);
  }, 600_000);
});
