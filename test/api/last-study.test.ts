/**
 * The study the console opens (docs/MULTI-STUDY.md decision 9): remembered per person on the server
 * (PUT /api/auth/me/last-study), answered on sign-in and by /api/auth/me, only while the person holds a
 * role in it. A second study and its role are written with the raw database, as study-routes.test.ts does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../support/env.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';

const SECOND = { id: 2, code: 'SECOND-2' };

describe(`the last study, remembered on the server (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let first: string;
  const tokens: Record<string, string> = {};
  const put = (studyCode: unknown, token: string) =>
    t.api.request('PUT', '/api/auth/me/last-study', { token, body: { studyCode } });

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of ['monitor', 'investigator1', 'admin']) tokens[u] = await t.api.login(u);
    first = (await t.api.get('/api/study', tokens.monitor)).body.code;
    const [row] = await raw.all(`SELECT * FROM study WHERE id = 1`);
    const columns = Object.keys(row);
    const values = columns.map((c) => (c === 'id' ? String(SECOND.id) : c === 'code' ? `'${SECOND.code}'` : c));
    await raw.run(`INSERT INTO study (${columns.join(', ')}) SELECT ${values.join(', ')} FROM study WHERE id = 1`);
    await raw.run(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
       SELECT 'last-monitor', ${SECOND.id}, id, 'auditor', '[]', 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = 'monitor'`,
    );
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-008] none is remembered at first; a study the person holds a role in is, and sign-in and /auth/me answer it', async () => {
    expect((await t.api.get('/api/auth/me', tokens.monitor)).body.lastStudyCode).toBeNull();
    const auditBefore = await raw.all(`SELECT COUNT(*) AS n FROM audit_log`);
    const res = await put(SECOND.code, tokens.monitor);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await t.api.get('/api/auth/me', tokens.monitor)).body.lastStudyCode).toBe(SECOND.code);
    // A navigation preference: no audit entry in any chain (one would tell a study's readers of the other study).
    expect(await raw.all(`SELECT COUNT(*) AS n FROM audit_log`)).toEqual(auditBefore);
    // A new session (another browser, another device) opens the same study.
    const login = await t.api.secondFactor.signIn((p, b, tk) => t.api.post(p, b, tk), 'monitor', DEMO_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user.lastStudyCode).toBe(SECOND.code);
    // Back to the first study.
    expect((await put(first, tokens.monitor)).status).toBe(204);
    expect((await t.api.get('/api/auth/me', tokens.monitor)).body.lastStudyCode).toBe(first);
  });

  it('[MS-008] a study without a role and an unknown code get the same 404; nothing is remembered', async () => {
    expect((await put(first, tokens.investigator1)).status).toBe(204);
    const noRole = await put(SECOND.code, tokens.investigator1);
    const noStudy = await put('NO-SUCH-9', tokens.investigator1);
    expect(noRole.status).toBe(404);
    expect(noStudy.status).toBe(404);
    expect(noRole.body.code).toBe('NOT_FOUND');
    expect(noRole.body.message.replace(SECOND.code, 'X')).toBe(noStudy.body.message.replace('NO-SUCH-9', 'X'));
    // The instance admin sees the second study in the list but holds no role there: no more than anyone else.
    expect((await put(SECOND.code, tokens.admin)).status).toBe(404);
    expect((await t.api.get('/api/auth/me', tokens.investigator1)).body.lastStudyCode).toBe(first);
  });

  it('[MS-008] bad input is a 400 with its code, never a 5xx; signed out is a 401', async () => {
    for (const body of [undefined, '', 42, 'x'.repeat(65)]) {
      const res = await put(body, tokens.investigator1);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.api.request('PUT', '/api/auth/me/last-study', { body: { studyCode: first } })).status).toBe(401);
  });

  it('[MS-008] a revoked role forgets the remembered study', async () => {
    expect((await put(SECOND.code, tokens.monitor)).status).toBe(204);
    await raw.run(
      `UPDATE study_roles SET revoked_at = '2026-01-02T00:00:00.000Z', revoked_by = 'test' WHERE id = 'last-monitor'`,
    );
    expect((await t.api.get('/api/auth/me', tokens.monitor)).body.lastStudyCode).toBeNull();
  });
});
