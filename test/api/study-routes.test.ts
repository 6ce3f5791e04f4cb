/**
 * Study routes (docs/MULTI-STUDY.md decisions 5–6): `/api/studies/:code/...`, the caller's role in that
 * study, and the 404 for everyone without one. A second study and its roles are written directly here (the
 * signed creation route has its own tests); what is checked is the guard.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';

const SECOND = { id: 2, code: 'SECOND-2' };

describe(`study routes and roles per study (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let first: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of ['admin', 'monitor', 'auditor', 'investigator1']) tokens[u] = await t.api.login(u);
    first = (await t.api.get('/api/study', tokens.auditor)).body.code;
    const [row] = await raw.all(`SELECT * FROM study WHERE id = 1`);
    const columns = Object.keys(row);
    const values = columns.map((c) => (c === 'id' ? String(SECOND.id) : c === 'code' ? `'${SECOND.code}'` : c));
    await raw.run(`INSERT INTO study (${columns.join(', ')}) SELECT ${values.join(', ')} FROM study WHERE id = 1`);
    // In the second study the monitor is an auditor; nobody else holds a role there.
    await raw.run(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
       SELECT 'ms3-monitor', ${SECOND.id}, id, 'auditor', '[]', 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = 'monitor'`,
    );
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it("[MS-003] a v1 path is the same route as the first study's scoped path, under the same rules", async () => {
    for (const path of ['/study', '/participants', '/audit/verify']) {
      const v1 = await t.api.get(`/api${path}`, tokens.auditor);
      const scoped = await t.api.get(`/api/studies/${first}${path}`, tokens.auditor);
      expect(v1.status).toBe(200);
      expect(scoped.status).toBe(200);
      expect(scoped.body).toEqual(v1.body);
    }
    // The scoped path keeps the role rules: an auditor may not randomize there either.
    const list = await t.api.get(`/api/studies/${first}/participants`, tokens.investigator1);
    expect(list.status).toBe(200);
    expect((await t.api.post(`/api/studies/${first}/study/lock`, {}, tokens.auditor)).status).toBe(403);
  });

  it('[MS-003] no role in a study and no such study answer the same 404, on every kind of route', async () => {
    const paths = ['/study', '/participants', '/audit', '/audit/verify', '/allocation-log', '/unblinding-requests'];
    for (const path of paths) {
      const noRole = await t.api.get(`/api/studies/${SECOND.code}${path}`, tokens.investigator1);
      const noStudy = await t.api.get(`/api/studies/NO-SUCH-9${path}`, tokens.investigator1);
      expect(noRole.status).toBe(404);
      expect(noStudy.status).toBe(404);
      expect(noRole.body.code).toBe('NOT_FOUND');
      // Same text but the code the caller typed: nothing tells a study that exists from one that does not.
      expect(noRole.body.message.replace(SECOND.code, 'X')).toBe(noStudy.body.message.replace('NO-SUCH-9', 'X'));
    }
    // A write is refused the same way, before its body is even looked at.
    const write = await t.api.post(`/api/studies/${SECOND.code}/participants`, { junk: true }, tokens.investigator1);
    expect(write.status).toBe(404);
    // Not even the instance admin: administering the instance gives no role in a study.
    expect((await t.api.get(`/api/studies/${SECOND.code}/audit`, tokens.admin)).status).toBe(404);
  });

  it('[MS-003] the same person acts with the role they hold in each study', async () => {
    // In the first study the monitor is a medical monitor (reads the unblinding requests, not the audit trail)…
    expect((await t.api.get(`/api/studies/${first}/unblinding-requests`, tokens.monitor)).status).toBe(200);
    expect((await t.api.get(`/api/studies/${first}/audit`, tokens.monitor)).status).toBe(403);
    // …in the second an auditor (reads the audit trail).
    const audit = await t.api.get(`/api/studies/${SECOND.code}/audit`, tokens.monitor);
    expect(audit.status).toBe(200);
    // The study list shows each person their own studies with their role there; the admin sees every study.
    const mine = await t.api.get('/api/studies', tokens.monitor);
    expect(mine.body.map((s: { code: string; role: string }) => [s.code, s.role])).toEqual([
      [first, 'medical_monitor'],
      [SECOND.code, 'auditor'],
    ]);
    const investigator = await t.api.get('/api/studies', tokens.investigator1);
    expect(investigator.body.map((s: { code: string }) => s.code)).toEqual([first]);
    const admin = await t.api.get('/api/studies', tokens.admin);
    expect(admin.body.map((s: { code: string; role: string | null }) => [s.code, s.role])).toEqual([
      [first, 'admin'],
      [SECOND.code, null],
    ]);
  });

  it("[MS-003] a study role that signs needs the second factor even when the account's first-study role does not", async () => {
    // The demo auditor has no second factor (an auditor neither signs nor unblinds); in the second study they
    // are made an investigator, who signs.
    await raw.run(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
       SELECT 'ms3-auditor', ${SECOND.id}, id, 'investigator', '["A"]', 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = 'auditor'`,
    );
    const refused = await t.api.get(`/api/studies/${SECOND.code}/participants`, tokens.auditor);
    expect([refused.status, refused.body.code]).toEqual([403, 'MFA_ENROLMENT_REQUIRED']);
    // The first study, where the role needs none, still answers; and the console is told to set one up.
    expect((await t.api.get(`/api/studies/${first}/audit/verify`, tokens.auditor)).status).toBe(200);
    const me = await t.api.get('/api/auth/me', tokens.auditor);
    expect(me.body.secondFactor).toMatchObject({ required: true, enrolled: false });
    await raw.run(`DELETE FROM study_roles WHERE id = 'ms3-auditor'`);
    expect((await t.api.get('/api/auth/me', tokens.auditor)).body.secondFactor).toMatchObject({ required: false });
  });

  it('[MS-003] a revoked study role closes the study at once (404); every account holds its role in the first study', async () => {
    await raw.run(
      `UPDATE study_roles SET revoked_at = '2026-01-02T00:00:00.000Z', revoked_by = 'test' WHERE id = 'ms3-monitor'`,
    );
    expect((await t.api.get(`/api/studies/${SECOND.code}/audit`, tokens.monitor)).status).toBe(404);
    const rows = await raw.all(
      `SELECT role, revoked_at FROM study_roles WHERE study_id = 1 AND user_id = (SELECT id FROM users WHERE username = 'auditor')`,
    );
    expect(rows).toEqual([{ role: 'auditor', revoked_at: null }]);
  });
});
