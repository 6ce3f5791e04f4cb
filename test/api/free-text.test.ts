/**
 * Free text cannot carry an arm (issue 11, Build-6). Every free-text field a blinded person can
 * read, sent with an arm or product word, is refused with 400 BLINDING_RISK naming the field and
 * the word, and nothing is written (the audit chain does not grow: every write is audited in its
 * own transaction). Text that reaches the database anyway (written before this check, or by hand)
 * makes the response guard withhold that value, audit the event and notify the admin — the page
 * and the export still answer 200, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REDACTION_MARKER } from '../../server/src/common/blinding.js';
import { newParticipant } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { randomizedPatient, requestUnblinding, signed } from './fixtures/unblinding-helpers.js';

describe('free text: refused at write time, withheld (never a 5xx) at read time', () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};
  let patient: string;
  let requestId: string;
  let investigatorId: string;

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of ['admin', 'investigator1', 'monitor', 'statistician', 'statistician2', 'auditor', 'pharmacist'])
      tokens[u] = await t.api.login(u);
    patient = await randomizedPatient(t.api, tokens.investigator1, 'A');
    requestId = (await requestUnblinding(t.api, tokens.investigator1, patient)).body.id;
    investigatorId = (await t.api.get('/api/auth/me', tokens.investigator1)).body.id;
  });
  afterAll(async () => {
    await raw.close();
    await t.close();
  });

  const auditCount = async () => (await t.api.get('/api/audit/verify', tokens.auditor)).body.count as number;

  it('every free-text field with an arm or product word: 400 BLINDING_RISK naming field and word, nothing written [BLIND-006]', async () => {
    const eligible = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
    const cases: Array<{
      name: string;
      token: string;
      method: 'POST' | 'PATCH';
      path: string;
      body: Record<string, unknown>;
      field: string;
      word: string;
    }> = [
      {
        name: 'screening number',
        token: 'investigator1',
        method: 'POST',
        path: '/api/participants',
        body: { siteCode: 'A', screeningNumber: 'PBO-7', factors: {}, eligibility: {} },
        field: 'screeningNumber',
        word: 'PBO',
      },
      {
        name: 'correction reason',
        token: 'investigator1',
        method: 'POST',
        path: `/api/participants/${patient}/corrections`,
        body: { field: 'edss', newValue: 5, reason: 'stratum typo; arm PBO-MSC', ...signed() },
        field: 'reason',
        word: 'PBO-MSC',
      },
      {
        name: 'correction value',
        token: 'investigator1',
        method: 'POST',
        path: `/api/participants/${patient}/corrections`,
        body: { field: 'course', newValue: 'msc', reason: 'typo', ...signed() },
        field: 'newValue',
        word: 'msc',
      },
      {
        name: 'signature meaning',
        token: 'investigator1',
        method: 'POST',
        path: `/api/participants/${eligible}/randomize`,
        body: { signature: { password: DEMO_PASSWORD, meaning: 'I randomize to Placebo' } },
        field: 'signature.meaning',
        word: 'Placebo',
      },
      {
        name: 'unblinding reason',
        token: 'investigator1',
        method: 'POST',
        path: '/api/unblinding-requests',
        body: { participantId: patient, reason: 'Is this patient on mesenchymal cells?', emergency: true, ...signed() },
        field: 'reason',
        word: 'mesenchymal',
      },
      {
        name: 'denial comment',
        token: 'monitor',
        method: 'POST',
        path: `/api/unblinding-requests/${requestId}/decision`,
        body: { approve: false, comment: 'surely placebo, deny', ...signed() },
        field: 'comment',
        word: 'placebo',
      },
      {
        name: 'lock reason',
        token: 'statistician',
        method: 'POST',
        path: '/api/study/lock',
        body: { reason: 'MSC arm complete', ...signed() },
        field: 'reason',
        word: 'MSC',
      },
      {
        name: 'co-signature meaning',
        token: 'statistician',
        method: 'POST',
        path: '/api/study/unblind',
        body: {
          ...signed(),
          secondSignature: { username: 'statistician2', password: DEMO_PASSWORD, meaning: 'release PBO' },
        },
        field: 'secondSignature.meaning',
        word: 'PBO',
      },
      {
        name: 'display name (new user)',
        token: 'admin',
        method: 'POST',
        path: '/api/users',
        body: { username: 'newinv', displayName: 'Dr Stem Cells', role: 'investigator', siteCodes: ['A'] },
        field: 'displayName',
        word: 'Stem',
      },
      {
        name: 'username',
        token: 'admin',
        method: 'POST',
        path: '/api/users',
        body: { username: 'pbo-msc', displayName: 'Someone', role: 'investigator', siteCodes: ['A'] },
        field: 'username',
        word: 'pbo-msc',
      },
      {
        name: 'display name (edit)',
        token: 'admin',
        method: 'PATCH',
        path: `/api/users/${investigatorId}`,
        body: { displayName: 'Ivo (placebo arm)' },
        field: 'displayName',
        word: 'placebo',
      },
      {
        name: 'site name (new)',
        token: 'admin',
        method: 'POST',
        path: '/api/sites',
        body: { code: 'C', name: 'MSC centre' },
        field: 'name',
        word: 'MSC',
      },
      {
        name: 'site change reason',
        token: 'admin',
        method: 'PATCH',
        path: '/api/sites/A',
        body: { name: 'Site A', reason: 'moved to PBO-MSC ward' },
        field: 'reason',
        word: 'PBO-MSC',
      },
      {
        name: 'checkpoint reason',
        token: 'auditor',
        method: 'POST',
        path: '/api/audit/checkpoints',
        body: { reason: 'check after the M S C batch' },
        field: 'reason',
        word: 'M S C',
      },
    ];
    const before = await auditCount();
    for (const c of cases) {
      const res = await t.api.request(c.method, c.path, { token: tokens[c.token], body: c.body });
      expect({ case: c.name, status: res.status, code: res.body.code, details: res.body.details }).toEqual({
        case: c.name,
        status: 400,
        code: 'BLINDING_RISK',
        details: { field: c.field, word: c.word },
      });
      expect(res.body.message).toContain(`"${c.field}"`);
    }
    expect(await auditCount()).toBe(before);
    expect((await t.api.get('/api/study', tokens.auditor)).body.status).toBe('active');
    expect((await t.api.get('/api/users', tokens.admin)).body.map((u: any) => u.username)).not.toContain('newinv');
    expect((await t.api.get(`/api/participants/${patient}`, tokens.investigator1)).body.corrections ?? []).toEqual([]);
  });

  it('ordinary wording the protocol allows is accepted ("before the MSC harvest") [BLIND-006]', async () => {
    const res = await t.api.post(
      `/api/participants/${patient}/corrections`,
      { field: 'edss', newValue: 5, reason: 'EDSS re-measured before the MSC harvest', ...signed() },
      tokens.investigator1,
    );
    expect(res.status).toBe(201);
    const view = await t.api.get(`/api/participants/${patient}`, tokens.auditor);
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toContain('before the MSC harvest');
  });

  it('a stored text that names an arm is withheld from blinded readers (JSON, CSV, error bodies), audited and notified; never a 5xx [BLIND-007]', async () => {
    // Text written before the check existed (or by hand): the guard is the last line.
    await raw.run('UPDATE corrections SET reason = ? WHERE participant_id = ?', ['stratum typo; arm PBO-MSC', patient]);
    await raw.run('UPDATE participants SET screening_number = ? WHERE id = ?', ['MSC-7', patient]);
    await raw.run('UPDATE unblinding_requests SET reason = ? WHERE id = ?', ['patient got placebo?', requestId]);

    for (const u of ['investigator1', 'monitor', 'auditor']) {
      const detail = await t.api.get(`/api/participants/${patient}`, tokens[u]);
      expect([u, detail.status]).toEqual([u, 200]);
      expect(JSON.stringify(detail.body)).not.toMatch(/PBO|MSC-7/);
      expect(JSON.stringify(detail.body)).toContain(REDACTION_MARKER);
      const list = await t.api.get('/api/participants', tokens[u]);
      expect([u, list.status]).toEqual([u, 200]);
      expect(list.body.find((p: any) => p.id === patient).screeningNumber).toBe(REDACTION_MARKER);
    }
    const requests = await t.api.get('/api/unblinding-requests', tokens.monitor);
    expect(requests.status).toBe(200);
    expect(requests.body.find((r: any) => r.id === requestId).reason).toBe(REDACTION_MARKER);
    // A CSV export that may carry a display name: 200, and nothing of the stored arm word.
    await raw.run("UPDATE users SET display_name = 'Ivo Investigator (PBO-MSC)' WHERE id = ?", [investigatorId]);
    const csv = await t.api.get('/api/audit/export', tokens.auditor);
    expect(csv.status).toBe(200);
    expect(csv.text).not.toMatch(/PBO-MSC/);
    // An error message that quotes stored text (the screening number) is withheld too, status kept.
    const duplicate = await requestUnblinding(t.api, tokens.investigator1, patient);
    expect([duplicate.status, duplicate.body.code, duplicate.body.message]).toEqual([
      409,
      'DUPLICATE',
      REDACTION_MARKER,
    ]);
    // Unblinded readers are not affected.
    expect((await t.api.get(`/api/participants/${patient}`, tokens.pharmacist)).body.screeningNumber).toBe('MSC-7');

    const incidents = (await t.api.get('/api/audit?action=blinding.withheld', tokens.auditor)).body.entries;
    expect(incidents.length).toBeGreaterThanOrEqual(4);
    expect(incidents.map((e: any) => e.details.viewerRole)).toEqual(
      expect.arrayContaining(['investigator', 'medical_monitor', 'auditor']),
    );
    expect(JSON.stringify(incidents)).not.toMatch(/PBO|MSC-7|placebo/i);
    const inbox = (await t.api.get('/api/notifications', tokens.admin)).body;
    expect(inbox.items.some((n: any) => n.kind === 'blinding.withheld')).toBe(true);
  });

  it('with the guard firing on every read, repeated reads still answer 200 and are recorded once per quiet period [BLIND-007]', async () => {
    const before = (await t.api.get('/api/audit?action=blinding.withheld', tokens.auditor)).body.entries.length;
    for (let i = 0; i < 5; i++)
      expect((await t.api.get(`/api/participants/${patient}`, tokens.monitor)).status).toBe(200);
    expect((await t.api.get('/api/audit?action=blinding.withheld', tokens.auditor)).body.entries.length).toBe(before);
  });
});
