/**
 * The periodic access review of a study (issue 16, Build 6; ICH E6(R3) 4.3.8, EU GMP Annex 11 §12):
 * the report of who holds which role since when and granted by whom, and the signed review record
 * that binds the exact report read. Runs on SQLite and PostgreSQL like every API test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.js';
import { openRawDb } from '../support/raw-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { NO_SMTP } from './fixtures/accounts.js';
import { parseCsv, randomizedPatient, signed, storedArm, waitFor } from './fixtures/unblinding-helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('access review: the report per study and the signed periodic review', () => {
  let t: TestApp;
  let study: string;
  const tokens: Record<string, string> = {};
  const report = (token = tokens.admin, code = study) =>
    t.api.get(`/api/studies/${encodeURIComponent(code)}/access-review`, token);
  const account = (body: any, username: string) => body.content.accounts.find((a: any) => a.username === username);
  const sign = (body: Record<string, unknown>, token = tokens.admin) =>
    t.api.post(
      `/api/studies/${study}/access-review/reviews`,
      { conclusion: 'No finding.', ...signed(), ...body },
      token,
    );
  const reviews = () => t.api.get(`/api/studies/${study}/access-review/reviews`, tokens.admin);

  beforeAll(async () => {
    t = await startTestApp({ ...NO_SMTP, ESCALATION_CHECK_MS: '200' });
    for (const u of ['admin', 'auditor', 'investigator1', 'pharmacist', 'statistician', 'monitor'])
      tokens[u] = await t.api.login(u);
    study = (await t.api.get('/api/study', tokens.admin)).body.code;
  });
  afterAll(async () => t.close());

  it('lists every account with its role, sites, state, since when, granted by whom and last sign-in [REV-001]', async () => {
    const res = await report();
    expect(res.status).toBe(200);
    const { content } = res.body;
    expect(content).toMatchObject({ format: 'blindrand-access-review/1', studyCode: study, previousReview: null });
    const users = (await t.api.get('/api/users', tokens.admin)).body;
    expect(content.accounts.map((a: any) => a.username).sort()).toEqual(users.map((u: any) => u.username).sort());
    for (const u of users) {
      const a = account(res.body, u.username);
      expect(a).toMatchObject({ role: u.role, siteCodes: u.siteCodes, state: 'active', accountCreatedAt: u.createdAt });
      // Demo accounts are created by the demo seed at first start (actor `demo` in the audit trail).
      expect(a).toMatchObject({ createdBy: 'demo', roleSince: u.createdAt, roleGrantedBy: 'demo', unknown: [] });
    }
    expect(account(res.body, 'investigator1').siteCodes).toEqual(['A']);
    // the second factor (migration 015): demo accounts whose role signs or unblinds are enrolled at seed
    expect(account(res.body, 'admin')).toMatchObject({ secondFactor: true, secondFactorRequired: true });
    expect(account(res.body, 'pharmacist')).toMatchObject({ secondFactor: true, secondFactorRequired: true });
    for (const a of res.body.content.accounts)
      expect([a.username, a.secondFactor]).toEqual([a.username, a.secondFactorRequired ? true : a.secondFactor]);
    expect(account(res.body, 'admin').lastSignInAt).toEqual(expect.any(String));
    expect(account(res.body, 'investigator2').lastSignInAt).toBeNull();
    // signing someone in shows in the report
    await t.api.login('investigator2');
    const after = account((await report()).body, 'investigator2');
    expect(Date.parse(after.lastSignInAt)).toBeGreaterThan(Date.now() - 60_000);
    // an account linked to the hospital's identity provider says so (migration 016's user_identities)
    const raw = await openRawDb(t.config);
    try {
      await raw.run(
        "INSERT INTO user_identities (issuer, subject, user_id, linked_by, linked_at) VALUES ('https://idp.example', 'sub-1', ?, 'admin', ?)",
        [users.find((u: any) => u.username === 'monitor').id, new Date().toISOString()],
      );
    } finally {
      await raw.close();
    }
    const linked = (await report()).body;
    expect(account(linked, 'monitor')).toMatchObject({
      identityProvider: 'https://idp.example',
      secondFactor: null,
      secondFactorRequired: false,
    });
    expect(account(linked, 'statistician').identityProvider).toBeNull();
    // the CSV holds the same accounts, one line each, with the report's hash
    const csv = await t.api.get(`/api/studies/${study}/access-review/csv`, tokens.admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [head, ...rows] = parseCsv(csv.text);
    expect(head).toEqual(expect.arrayContaining(['username', 'role', 'roleSince', 'roleGrantedBy', 'lastSignInAt']));
    expect(rows.map((r) => r[head.indexOf('username')]).sort()).toEqual(users.map((u: any) => u.username).sort());
  });

  it('the study is named by its code: an unknown code answers 404 [REV-002]', async () => {
    expect((await report(tokens.admin, 'NO-SUCH-STUDY')).body.code).toBe('NOT_FOUND');
    expect((await report(tokens.admin, 'NO-SUCH-STUDY')).status).toBe(404);
    expect((await t.api.get('/api/studies/NOPE/access-review/reviews', tokens.admin)).status).toBe(404);
    expect((await t.api.get('/api/studies/NOPE/access-review/csv', tokens.admin)).status).toBe(404);
  });

  it('only the admin signs; the auditor reads; other roles, blinded or not, get 403 [REV-003]', async () => {
    for (const u of ['investigator1', 'pharmacist', 'statistician', 'monitor']) {
      expect([u, (await report(tokens[u])).status]).toEqual([u, 403]);
      expect([u, (await t.api.get(`/api/studies/${study}/access-review/reviews`, tokens[u])).status]).toEqual([u, 403]);
    }
    expect((await report(tokens.auditor)).status).toBe(200);
    const hash = (await report(tokens.auditor)).body.contentHash;
    expect((await sign({ contentHash: hash }, tokens.auditor)).status).toBe(403);
    expect((await reviews()).body).toEqual([]);
  });

  it('holds no allocation data: no participant, randomization number, treatment or arm appears in it [REV-004]', async () => {
    const ids = [
      await randomizedPatient(t.api, tokens.investigator1),
      await randomizedPatient(t.api, tokens.investigator1),
    ];
    const log = (await t.api.get('/api/allocation-log', tokens.pharmacist)).body;
    const entries = Array.isArray(log) ? log : (log.entries ?? log.items);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const res = await report();
    const text =
      JSON.stringify(res.body) + (await t.api.get(`/api/studies/${study}/access-review/csv`, tokens.admin)).text;
    const arms = await Promise.all(ids.map((id) => storedArm(t, id)));
    // (the study's title may name its treatments: it is public; arm codes and allocations are not)
    for (const forbidden of [...ids, ...arms, 'MSC-PBO', 'PBO-MSC'])
      expect([forbidden, text.includes(forbidden)]).toEqual([forbidden, false]);
    for (const e of entries) {
      for (const v of [e.participantId, e.screeningNumber, e.treatmentCode, e.armCode])
        if (typeof v === 'string' && v.length > 3) expect([v, text.includes(v)]).toEqual([v, false]);
    }
    // only these fields, at every level: nothing else could carry an arm
    expect(Object.keys(res.body.content).sort()).toEqual([
      'accounts',
      'changes',
      'format',
      'previousReview',
      'studyCode',
      'studyTitle',
    ]);
    for (const a of res.body.content.accounts)
      expect(Object.keys(a).sort()).toEqual([
        'accountCreatedAt',
        'createdBy',
        'displayName',
        'identityProvider',
        'lastSignInAt',
        'pendingGrants',
        'role',
        'roleApprovedBy',
        'roleGrantedBy',
        'roleSince',
        'secondFactor',
        'secondFactorRequired',
        'siteCodes',
        'state',
        'unknown',
        'userId',
        'username',
      ]);
  });

  it('a role change shows in "changes since the previous review" and in the account\'s since / granted by [REV-005]', async () => {
    const users = (await t.api.get('/api/users', tokens.admin)).body;
    const inv2 = users.find((u: any) => u.username === 'investigator2');
    const changed = await t.api.patch(
      `/api/users/${inv2.id}`,
      { role: 'auditor', siteCodes: [], reason: 'moved to QA' },
      tokens.admin,
    );
    expect(changed.status).toBe(200);
    // a sensitive role is held until a second person approves: it shows as a pending grant, not as the role
    const aud = users.find((u: any) => u.username === 'auditor');
    expect((await t.api.patch(`/api/users/${aud.id}`, { role: 'medical_monitor' }, tokens.admin)).status).toBe(200);
    const res = (await report()).body;
    const a = account(res, 'investigator2');
    expect(a).toMatchObject({
      role: 'auditor',
      siteCodes: [],
      roleGrantedBy: 'admin',
      roleApprovedBy: null,
      unknown: [],
    });
    expect(Date.parse(a.roleSince)).toBeGreaterThan(Date.parse(a.accountCreatedAt));
    expect(account(res, 'auditor')).toMatchObject({
      role: 'auditor',
      pendingGrants: [{ kind: 'role', role: 'medical_monitor', requestedBy: 'admin' }],
    });
    const change = res.content.changes.find((c: any) => c.username === 'investigator2' && c.action === 'user.updated');
    expect(change).toMatchObject({ actor: 'admin', userId: inv2.id });
    expect(change.fields).toEqual(
      expect.arrayContaining([
        { field: 'role', old: 'investigator', new: 'auditor' },
        expect.objectContaining({ field: 'siteCodes', old: 'B' }),
      ]),
    );
    expect(res.content.changes.some((c: any) => c.action === 'user.grant_requested' && c.username === 'auditor')).toBe(
      true,
    );
    // resetting someone's second factor is an access change too
    const stat2 = users.find((u: any) => u.username === 'statistician2');
    const reset = await t.api.post(
      `/api/users/${stat2.id}/second-factor/reset`,
      { reason: 'lost phone' },
      tokens.admin,
    );
    expect(reset.status).toBeLessThan(300);
    const after = (await report()).body;
    expect(account(after, 'statistician2')).toMatchObject({ secondFactor: false, secondFactorRequired: true });
    expect(
      after.content.changes.find((c: any) => c.username === 'statistician2' && c.action === 'user.second_factor_reset')
        .fields,
    ).toEqual([{ field: 'secondFactor', old: 'enrolled', new: 'none' }]);
    // sign-ins and language changes are not access changes
    expect(res.content.changes.some((c: any) => c.action.startsWith('auth.'))).toBe(false);
  });

  it('a review signs the exact report read: wrong password or a changed report stores nothing; the stored report re-hashes to its hash [REV-006]', async () => {
    const read = (await report()).body;
    expect(read.contentHash).toBe(sha256(canonicalJson(read.content)));
    const wrong = await sign({ contentHash: read.contentHash, signature: { password: 'not-the-password' } });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    expect((await reviews()).body).toEqual([]);
    const stale = await sign({ contentHash: 'f'.repeat(64) });
    expect([stale.status, stale.body.code]).toEqual([409, 'CONFLICT']);
    expect((await sign({ contentHash: read.contentHash, conclusion: '   ' })).status).toBe(400);
    expect((await reviews()).body).toEqual([]);

    const ok = await sign({
      contentHash: read.contentHash,
      conclusion: 'investigator2 moved to QA: confirmed. No other finding.',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      studyCode: study,
      reviewer: 'admin',
      printedName: 'Alex Admin',
      contentHash: read.contentHash,
      periodStart: null,
      verification: { reportHashMatches: true, signatureValid: true },
    });
    const due = Date.parse(ok.body.nextDueAt) - Date.parse(ok.body.reviewedAt);
    expect(due).toBe(90 * 86_400_000);
    const list = (await reviews()).body;
    expect(list.map((r: any) => r.id)).toEqual([ok.body.id]);
    const detail = (await t.api.get(`/api/studies/${study}/access-review/reviews/${ok.body.id}`, tokens.auditor)).body;
    expect(detail.content).toEqual(read.content);
    expect(sha256(canonicalJson(detail.content))).toBe(detail.contentHash);
    // the signature is an ordinary one: verifiable by the auditor, with the review's meaning
    const verification = (await t.api.get(`/api/signatures/${ok.body.signatureId}/verification`, tokens.auditor)).body;
    expect(verification).toMatchObject({
      valid: true,
      recordType: 'access-review',
      recordId: ok.body.id,
      signerUsername: 'admin',
    });
    expect(verification.meaning).toMatch(/^I reviewed this access report/);
    const audit = (await t.api.get(`/api/audit?action=access-review.signed`, tokens.auditor)).body.entries;
    expect(audit).toEqual([expect.objectContaining({ entityId: ok.body.id, actor: 'admin' })]);
    expect(audit[0].details).toMatchObject({ contentHash: read.contentHash, studyCode: study });

    // the next report starts after this review: no change yet, and the previous review is named
    const next = (await report()).body;
    expect(next.content.previousReview).toEqual({ id: ok.body.id, reviewedAt: ok.body.reviewedAt });
    expect(next.content.changes).toEqual([]);
    expect(next.schedule).toMatchObject({
      lastReviewAt: ok.body.reviewedAt,
      nextDueAt: ok.body.nextDueAt,
      overdue: false,
      intervalDays: 90,
    });
    // the stored report is what was signed: editing it breaks the hash check
    const raw = await openRawDb(t.config);
    try {
      await raw.run("UPDATE access_reviews SET report = REPLACE(report, 'investigator2', 'someone-else')");
    } finally {
      await raw.close();
    }
    expect((await reviews()).body[0].verification).toEqual({ reportHashMatches: false, signatureValid: true });
  });

  it('a review past its due date shows as overdue, and the admins are notified once [REV-007]', async () => {
    const overdue = async (token: string) =>
      ((await t.api.get('/api/notifications', token)).body.items ?? []).filter(
        (n: any) => n.kind === 'access-review.overdue',
      );
    expect(await overdue(tokens.admin)).toEqual([]);
    await t.advanceClock(91 * 86_400_000);
    const admin = await t.api.login('admin');
    const schedule = (await t.api.get(`/api/studies/${study}/access-review/schedule`, admin)).body;
    expect(schedule.overdue).toBe(true);
    expect((await t.api.get(`/api/studies/${study}/access-review`, admin)).body.schedule.overdue).toBe(true);
    const [notice] = await waitFor('the overdue reminder', async () => {
      const found = await overdue(admin);
      return found.length ? found : undefined;
    });
    expect(notice.title).toContain(study);
    expect(notice.link).toBe('/s/MSCT-MS/admin/access-review');
    await new Promise((r) => setTimeout(r, 800)); // a few more ticks: still one reminder
    expect(await overdue(admin)).toHaveLength(1);
    expect(await overdue(await t.api.login('auditor'))).toEqual([]);
  });
});
