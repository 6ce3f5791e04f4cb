import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { linkToken, NO_SMTP, setPassword } from './fixtures/accounts.js';

describe('bad input gets a 4xx with a code and a message [REL-005]', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(NO_SMTP);
    admin = await t.api.login('admin');
  });
  afterAll(async () => t.close());

  const expectError = (res: { status: number; body: any; text: string }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message.length).toBeGreaterThan(5);
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.js:\d+/);
  };

  it('413 PAYLOAD_TOO_LARGE on a huge body', async () => {
    const res = await t.api.request('POST', '/api/sites', {
      token: admin,
      raw: JSON.stringify({ code: 'X', name: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('malformed JSON, wrong content type', async () => {
    expectError(
      await t.api.request('POST', '/api/sites', {
        token: admin,
        raw: '{"code": "X",',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.api.request('POST', '/api/sites', {
        token: admin,
        raw: 'code=X',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('wrong types, missing and unknown fields name the field', async () => {
    const wrongType = await t.api.post(
      '/api/users',
      { username: 'u1', displayName: 5, role: 'admin', email: 'u1@test.local' },
      admin,
    );
    expectError(wrongType, 400, 'VALIDATION_FAILED');
    expect(wrongType.body.message).toMatch(/displayName/);
    const missing = await t.api.post('/api/users', { username: 'u1', role: 'admin' }, admin);
    expectError(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.message).toMatch(/displayName/);
    const unknown = await t.api.post('/api/sites', { code: 'Z', name: 'Zed', isAdmin: true }, admin);
    expectError(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.message).toMatch(/isAdmin/);
    expectError(
      await t.api.post(
        '/api/users',
        { username: 'u2', displayName: 'U', role: 'emperor', email: 'u2@test.local' },
        admin,
      ),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await t.api.get('/api/users/not-a-uuid', admin), 400, 'VALIDATION_FAILED');
  });

  it('injection and unicode strings are data, not code', async () => {
    const res = await t.api.post(
      '/api/sites',
      { code: 'Q1', name: "Robert'); DROP TABLE users;-- <script>alert(1)</script> 日本語 🧪" },
      admin,
    );
    expect(res.status).toBe(201);
    const sites = (await t.api.get('/api/sites', admin)).body;
    expect(sites.find((s: any) => s.code === 'Q1').name).toContain('DROP TABLE users');
    expect((await t.api.get('/api/users', admin)).status).toBe(200);
  });

  it('duplicates and unknown records', async () => {
    expectError(await t.api.post('/api/sites', { code: 'A', name: 'again' }, admin), 409, 'DUPLICATE');
    expectError(await t.api.patch('/api/sites/NOPE', { name: 'x' }, admin), 404, 'NOT_FOUND');
    expectError(await t.api.get('/api/no-such-endpoint', admin), 404, 'NOT_FOUND');
  });

  it('site scope: only admins manage users and sites [ACC-007]', async () => {
    for (const username of ['investigator1', 'pharmacist', 'monitor', 'statistician', 'randstat', 'auditor']) {
      const token = await t.api.login(username);
      expectError(await t.api.get('/api/users', token), 403, 'FORBIDDEN');
      expectError(await t.api.get('/api/sites', token), 403, 'FORBIDDEN');
      expectError(await t.api.post('/api/sites', { code: 'H', name: 'hack' }, token), 403, 'FORBIDDEN');
    }
    expect((await t.api.get('/api/sites', admin)).body.some((s: any) => s.code === 'H')).toBe(false);
  });

  it('admins create, change, deactivate and reset users without ever choosing a password; every change is audited with old and new values [ACC-007, ACC-008]', async () => {
    // an admin may not choose another person's password, neither at creation nor at a reset
    const chosen = await t.api.post(
      '/api/users',
      {
        username: 'newinv',
        displayName: 'New Inv',
        role: 'investigator',
        siteCodes: ['A'],
        email: 'newinv@test.local',
        password: 'password-123',
      },
      admin,
    );
    expectError(chosen, 400, 'VALIDATION_FAILED');
    expect(chosen.body.message).toMatch(/never chooses/);
    const created = await t.api.post(
      '/api/users',
      {
        username: 'newinv',
        displayName: 'New Inv',
        role: 'investigator',
        siteCodes: ['A'],
        email: 'newinv@test.local',
      },
      admin,
    );
    expect(created.status).toBe(201);
    expect(created.body.pendingGrants).toEqual([]);
    expect(JSON.stringify(created.body)).not.toMatch(/token|set-password/);
    const id = created.body.id;
    const first = await linkToken(t, 'newinv@test.local');
    expect(first).toEqual(expect.any(String));
    expect((await t.api.post('/api/auth/login', { username: 'newinv', password: 'password-123' })).status).toBe(401); // no password until the user sets one
    expect((await setPassword(t, first!, 'password-123')).status).toBe(204);
    expectError(await setPassword(t, first!, 'password-456'), 400, 'VALIDATION_FAILED'); // single use
    expectError(await setPassword(t, 'a-token-that-was-never-issued', 'password-456'), 400, 'VALIDATION_FAILED');
    const moved = await t.api.patch(`/api/users/${id}`, { siteCodes: ['A', 'B'], reason: 'covers site B' }, admin);
    expect(moved.body.siteCodes).toEqual(['A', 'B']);
    const token = await t.api.login('newinv', 'password-123');
    const off = await t.api.patch(`/api/users/${id}`, { active: false, reason: 'left the study' }, admin);
    expect(off.body.active).toBe(false);
    expect((await t.api.get('/api/auth/me', token)).status).toBe(401);
    expect((await t.api.post('/api/auth/login', { username: 'newinv', password: 'password-123' })).status).toBe(401);
    await t.api.patch(`/api/users/${id}`, { active: true }, admin);
    expectError(
      await t.api.post(`/api/users/${id}/reset-password`, { newPassword: 'another-pass-1' }, admin),
      400,
      'VALIDATION_FAILED',
    );
    expect((await t.api.post(`/api/users/${id}/reset-password`, { reason: 'forgot it' }, admin)).status).toBe(200);
    const second = await linkToken(t, 'newinv@test.local');
    expect(second).not.toBe(first);
    expect((await setPassword(t, second!, 'another-pass-1')).status).toBe(204);
    expect(await t.api.login('newinv', 'another-pass-1')).toEqual(expect.any(String));
    const trail = (await t.api.get(`/api/admin/audit?entityType=user&entityId=${id}`, admin)).body.entries.map(
      (e: any) => e.action,
    );
    expect(trail).toEqual(
      expect.arrayContaining([
        'user.created',
        'user.updated',
        'user.deactivated',
        'user.reactivated',
        'user.password_reset',
        'user.password_link_issued',
        'user.password_set',
      ]),
    );
    const deactivated = (await t.api.get(`/api/admin/audit?action=user.deactivated&entityId=${id}`, admin)).body
      .entries[0];
    expect(deactivated.details.changes.active).toEqual({ old: true, new: false });
    // Both chains: the study's and the instance's, where account entries are (docs/MULTI-STUDY.md).
    const everything = JSON.stringify([
      (await t.api.get('/api/audit?limit=500', admin)).body,
      (await t.api.get('/api/admin/audit?limit=500', admin)).body,
    ]);
    expect(everything).not.toMatch(/\$argon2/);
    expect(everything).not.toContain(first!);
    expect(everything).not.toContain(second!);
  });
});
