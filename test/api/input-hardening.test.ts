import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { SIGNATURE_MEANINGS } from '../../shared/signature-meanings.js';
import { eligibleAnswers, newParticipant, randomize } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 12 Build-8/9/10 and issue 11 Build-7: input that used to give 500 (deep nesting, 1e309), 405
 * and 431 with the contract's error body, signature meanings fixed by the server, exact idle limits,
 * and idempotency keys that belong to the user who sent them.
 */
describe('input hardening, signature meanings, idle limit, idempotency ownership', () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const u of ['admin', 'investigator1', 'investigator2', 'statistician', 'auditor'])
      tokens[u] = await t.api.login(u);
    raw = await openRawDb(t.config);
  });
  afterAll(async () => {
    await raw.close();
    await t.close();
  });

  const count = async (table: string) => Number((await raw.all(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('a login body of 3,000 nested arrays is 400 JSON_TOO_DEEP, not a stack overflow; 32 levels still parse [REL-005]', async () => {
    const deep = '['.repeat(3000) + ']'.repeat(3000);
    const res = await t.api.request('POST', '/api/auth/login', {
      raw: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'JSON_TOO_DEEP', message: expect.any(String) });
    // Brackets inside strings do not count; 32 levels reach validation (which then refuses the shape).
    const quoted = await t.api.request('POST', '/api/auth/login', {
      raw: JSON.stringify({ username: '['.repeat(60), password: '{'.repeat(60) }),
      headers: { 'content-type': 'application/json' },
    });
    expect([quoted.status, quoted.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const nested32 = await t.api.request('POST', '/api/auth/login', {
      raw: `{"username":${'['.repeat(31)}${']'.repeat(31)},"password":"x"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect([nested32.status, nested32.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a screening answer 1e309 (Infinity after parsing) is 400 NUMBER_NOT_FINITE and nothing is written [REL-005]', async () => {
    const before = [await count('participants'), await count('audit_log')];
    const answers = eligibleAnswers();
    for (const spelling of ['1e309', '-1e309']) {
      const rawBody = JSON.stringify({
        siteCode: 'A',
        screeningNumber: 'A-HUGE-1',
        factors: answers.factors,
        eligibility: { ...answers.eligibility, age: 0 },
      }).replace('"age":0', `"age":${spelling}`);
      const res = await t.api.request('POST', '/api/participants', {
        token: tokens.investigator1,
        raw: rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'NUMBER_NOT_FINITE',
        message: expect.stringContaining('eligibility.age'),
      });
    }
    for (const spelling of ['NaN', 'Infinity', '-Infinity']) {
      const res = await t.api.request('POST', '/api/participants', {
        token: tokens.investigator1,
        raw: `{"siteCode":"A","screeningNumber":"A-NAN","eligibility":{"age":${spelling}}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect([await count('participants'), await count('audit_log')]).toEqual(before);
  });

  it('text with a NUL character (which PostgreSQL cannot store) is 400 in a body, a path or a query, on both dialects [REL-005]', async () => {
    const users = (await t.api.get('/api/users', tokens.admin)).body;
    const auditor = users.find((u: any) => u.username === 'auditor');
    const before = [await count('users'), await count('audit_log')];
    const body = await t.api.patch(
      `/api/users/${auditor.id}`,
      { displayName: 'Aude\u0000Auditor', reason: 'nul test' },
      tokens.admin,
    );
    expect(body.status).toBe(400);
    expect(body.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('displayName') });
    const login = await t.api.post('/api/auth/login', { username: 'admin\u0000', password: 'x' });
    expect([login.status, login.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const path of ['/api/audit?action=user%00created', '/api/participants/%00', '/api/unblinding-requests/A%00']) {
      const res = await t.api.get(path, tokens.admin);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect([await count('users'), await count('audit_log')]).toEqual(before);
  });

  it('a wrong method on an existing route is 405 with Allow; an unknown path stays 404 [REL-005]', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/participants', 'GET, HEAD, POST'],
      ['DELETE', '/api/participants', 'GET, HEAD, POST'],
      ['DELETE', '/api/auth/login', 'POST'],
      ['PUT', '/api/study', 'GET, HEAD'],
    ] as const) {
      const res = await t.api.request(method, path, { token: tokens.admin });
      expect({ method, path, status: res.status, code: res.body.code, allow: res.headers.get('allow') }).toEqual({
        method,
        path,
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow,
      });
      expect(res.body.message).toEqual(expect.any(String));
    }
    const missing = await t.api.request('PUT', '/api/no-such-route', { token: tokens.admin });
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('a 20 KB header gets 431 with the contract error body [REL-005]', async () => {
    const url = new URL(t.baseUrl);
    const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/api/health', headers: { 'x-padding': 'x'.repeat(20_000) } },
        (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type']), body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(431);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.body)).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) });
    expect((await t.api.get('/api/health')).status).toBe(200);
  });

  it('the server records its own signature meaning: echoing it is accepted, another text is 400 and nothing is written [ESIG-003]', async () => {
    const id = await newParticipant(t.api, tokens.investigator1);
    const before = [await count('allocations'), await count('signatures'), await count('audit_log')];
    const other = await t.api.post(
      `/api/participants/${id}/randomize`,
      { signature: { password: DEMO_PASSWORD, meaning: 'I only looked at the screen' } },
      tokens.investigator1,
      { 'idempotency-key': `meaning-${id}-1` },
    );
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({
      code: 'SIGNATURE_MEANING_MISMATCH',
      message: expect.stringContaining(SIGNATURE_MEANINGS.randomize),
    });
    expect([await count('allocations'), await count('signatures'), await count('audit_log')]).toEqual(before);
    const echoed = await t.api.post(
      `/api/participants/${id}/randomize`,
      { signature: { password: DEMO_PASSWORD, meaning: SIGNATURE_MEANINGS.randomize } },
      tokens.investigator1,
      { 'idempotency-key': `meaning-${id}-2` },
    );
    expect(echoed.status).toBe(201);
    expect(echoed.body.signature.meaning).toBe(SIGNATURE_MEANINGS.randomize);
    const stored = await raw.all('SELECT meaning FROM signatures ORDER BY signed_at');
    const known = new Set<string>(Object.values(SIGNATURE_MEANINGS));
    expect(stored.map((r) => String(r.meaning)).filter((m) => !known.has(m))).toEqual([]);
  });

  describe('idempotency keys belong to their user [RAND-006]', () => {
    it("a second investigator (other site, wrong password) sending the same key at once never gets the first one's number or code", async () => {
      const id = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
      const key = `race-${id}`;
      const [first, second] = await Promise.all([
        randomize(t.api, tokens.investigator1, id, key),
        new Promise((r) => setTimeout(r, 5)).then(() =>
          randomize(t.api, tokens.investigator2, id, key, 'wrong-password'),
        ),
      ]);
      expect(first.status).toBe(201);
      expect([422, 404]).toContain(second.status);
      expect(second.text).not.toContain(first.body.treatmentCode);
      expect(second.body).not.toHaveProperty('randomizationNumber');
      // and afterwards, from the stored response: still refused
      const later = await randomize(t.api, tokens.investigator2, id, key);
      expect([later.status, later.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const same = await randomize(t.api, tokens.investigator1, id, key);
      expect(same.status).toBe(201);
      expect(same.body).toEqual(first.body);
    });

    it('a user moved to another site can no longer replay an old key (404), and a different body is 422', async () => {
      const id = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
      const key = `moved-${id}`;
      const created = await randomize(t.api, tokens.investigator1, id, key);
      expect(created.status).toBe(201);
      const other = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
      const reused = await randomize(t.api, tokens.investigator1, other, key);
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const users = (await t.api.get('/api/users', tokens.admin)).body;
      const inv = users.find((u: any) => u.username === 'investigator1');
      const moved = await t.api.patch(
        `/api/users/${inv.id}`,
        { siteCodes: ['B'], reason: 'moved to site B' },
        tokens.admin,
      );
      expect(moved.status).toBe(200);
      try {
        const replay = await randomize(t.api, tokens.investigator1, id, key);
        expect([replay.status, replay.body.code]).toEqual([404, 'NOT_FOUND']);
        expect(replay.text).not.toContain(created.body.treatmentCode);
      } finally {
        expect(
          (await t.api.patch(`/api/users/${inv.id}`, { siteCodes: ['A'], reason: 'back to site A' }, tokens.admin))
            .status,
        ).toBe(200);
      }
    });
  });

  // Last: it moves the server's clock past every other token's idle limit.
  it('a session ends at its idle limit to within a few seconds (activity refreshes it) [ACC-004]', async () => {
    const token = await t.api.login('auditor');
    const idleMs = t.config.session.idleSeconds * 1000;
    await t.advanceClock(20_000);
    expect((await t.api.get('/api/auth/me', token)).status).toBe(200); // activity 20 s after sign-in
    await t.advanceClock(idleMs - 8_000); // 8 s before the idle limit counted from that activity
    expect((await t.api.get('/api/auth/me', token)).status).toBe(200);
    await t.advanceClock(idleMs + 1_000);
    expect((await t.api.get('/api/auth/me', token)).status).toBe(401);
  });
});
