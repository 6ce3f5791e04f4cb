import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits, newParticipant } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { createAccount, NO_SMTP } from './fixtures/accounts.js';
import { protocolWithPolicy } from './fixtures/policy-protocol.js';
import {
  decide,
  randomizedPatient,
  requestUnblinding,
  reveal,
  signed,
  storedArm,
} from './fixtures/unblinding-helpers.js';

const vocabulary = blindedVocabulary(demoProtocol());
const BLINDED = ['investigator1', 'investigator2', 'monitor', 'auditor', 'admin'];

/** Signs in every demo user plus extra users created by the admin. */
async function signIn(
  t: TestApp,
  extra: Array<{ username: string; role: string; siteCodes?: string[] }> = [],
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const u of [
    'admin',
    'investigator1',
    'investigator2',
    'pharmacist',
    'monitor',
    'statistician',
    'randstat',
    'auditor',
  ])
    tokens[u] = await t.api.login(u);
  // Created the way an admin must now: password from the e-mailed link; a monitor's role approved by the randomization statistician.
  for (const u of extra) tokens[u.username] = (await createAccount(t, tokens.admin, u, tokens.randstat)).token;
  return tokens;
}

/** The reveal matches the stored allocation: arm, label, and the product of each period. */
async function expectRevealMatches(t: TestApp, body: any, participantId: string): Promise<void> {
  const arm = demoProtocol().arms.find((a) => a.code === body.arm)!;
  expect(body.arm).toBe(await storedArm(t, participantId));
  expect(body).toMatchObject({ participantId, armLabel: arm.label, sequence: arm.products.join('-') });
  expect(body.periods.map((p: any) => p.product)).toEqual(arm.products);
}

describe('emergency unblinding: monitor-approval policy (the demo protocol)', () => {
  let t: TestApp;
  let tokens: Record<string, string>;
  let p1: string;

  beforeAll(async () => {
    t = await startTestApp(NO_SMTP);
    tokens = await signIn(t, [
      { username: 'investigator3', role: 'investigator', siteCodes: ['A'] },
      { username: 'investigator9', role: 'investigator', siteCodes: ['A'] },
    ]);
    p1 = await randomizedPatient(t.api, tokens.investigator1, 'A');
  });
  afterAll(async () => t.close());

  it("a request needs a reason, a valid signature and a randomized patient of the requester's own site [UNBL-001]", async () => {
    expect((await t.api.get('/api/study', tokens.monitor)).body.unblindingPolicy).toBe('monitor-approval');
    const body = { participantId: p1, reason: 'Severe allergic reaction', emergency: true };
    expect((await t.api.post('/api/unblinding-requests', body, tokens.investigator1)).status).toBe(400);
    const wrong = await t.api.post(
      '/api/unblinding-requests',
      { ...body, ...signed('wrong-password') },
      tokens.investigator1,
    );
    expect([wrong.status, wrong.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    const named = await t.api.post(
      '/api/unblinding-requests',
      { ...body, reason: 'Is this patient on MSC?', ...signed() },
      tokens.investigator1,
    );
    // Refused before anything is written; the answer names the field and the word — only what the caller just typed.
    expect([named.status, named.body.code, named.body.details]).toEqual([
      400,
      'BLINDING_RISK',
      { field: 'reason', word: 'MSC' },
    ]);
    expect(
      (await t.api.post('/api/unblinding-requests', { ...body, reason: '', ...signed() }, tokens.investigator1)).status,
    ).toBe(400);
    expect((await requestUnblinding(t.api, tokens.investigator2, p1)).status).toBe(404); // another site's patient
    expect((await requestUnblinding(t.api, tokens.monitor, p1)).status).toBe(403);
    const notRandomized = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
    expect((await requestUnblinding(t.api, tokens.investigator1, notRandomized)).body.code).toBe('INVALID_TRANSITION');
    expect((await t.api.get('/api/unblinding-requests', tokens.monitor)).body).toEqual([]);
  });

  it('approval: pending → approved → revealed, only to the requester, every view audited and registered [UNBL-002, UNBL-009]', async () => {
    const created = await requestUnblinding(t.api, tokens.investigator1, p1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      policy: 'monitor-approval',
      approvalsRequired: 1,
      requestedBy: 'investigator1',
      canReveal: false,
    });
    const id = created.body.id;
    expect((await requestUnblinding(t.api, tokens.investigator1, p1)).body.code).toBe('DUPLICATE');
    const early = await reveal(t.api, tokens.investigator1, id);
    expect([early.status, early.body.code]).toEqual([409, 'INVALID_TRANSITION']);

    expect((await t.api.get('/api/unblinding-requests', tokens.investigator2)).body).toEqual([]);
    for (const u of ['monitor', 'auditor', 'investigator1', 'investigator3']) {
      const list = await t.api.get('/api/unblinding-requests', tokens[u]);
      expect(list.body.map((r: any) => r.id)).toEqual([id]);
      expect(leakHits(list.text, vocabulary)).toEqual([]);
    }
    expect((await t.api.get('/api/unblinding-requests', tokens.pharmacist)).status).toBe(403);
    expect((await decide(t.api, tokens.investigator1, id, true)).status).toBe(403);

    const approved = await decide(t.api, tokens.monitor, id, true, 'Anaphylaxis: the treating team needs to know');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: 'monitor',
      comment: 'Anaphylaxis: the treating team needs to know',
      approvals: 1,
    });
    expect(leakHits(approved.text, vocabulary)).toEqual([]);
    expect((await decide(t.api, tokens.monitor, id, false)).body.code).toBe('INVALID_TRANSITION');

    // anyone but the requester is refused: another site (404), same site (403), other roles (403)
    expect((await reveal(t.api, tokens.investigator2, id)).status).toBe(404);
    expect((await reveal(t.api, tokens.investigator3, id)).status).toBe(403);
    for (const u of ['monitor', 'auditor', 'admin', 'pharmacist', 'statistician'])
      expect((await reveal(t.api, tokens[u], id)).status).toBe(403);
    const mine = await t.api.get(`/api/unblinding-requests/${id}`, tokens.investigator1);
    expect(mine.body.canReveal).toBe(true);

    const first = await reveal(t.api, tokens.investigator1, id);
    expect(first.status).toBe(200);
    await expectRevealMatches(t, first.body, p1);
    expect(first.body.viewCount).toBe(1);
    const second = await reveal(t.api, tokens.investigator1, id);
    expect(second.body).toMatchObject({ arm: first.body.arm, viewCount: 2 });
    expect((await t.api.get(`/api/unblinding-requests/${id}`, tokens.monitor)).body).toMatchObject({
      status: 'revealed',
      revealCount: 2,
    });

    // the patient is marked unblinded for every role, the arm stays hidden from every blinded role
    for (const u of [...BLINDED.filter((x) => x !== 'admin' && x !== 'investigator2'), 'pharmacist', 'statistician']) {
      const view = await t.api.get(`/api/participants/${p1}`, tokens[u]);
      expect(view.body).toMatchObject({ unblinded: true, status: 'unblinded' });
      if (u !== 'pharmacist') expect(leakHits(view.text, vocabulary)).toEqual([]); // the trial statistician too, while the study runs
    }

    const audit = (await t.api.get(`/api/audit?entityId=${p1}&action=unblinding.revealed`, tokens.auditor)).body
      .entries;
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      actor: 'investigator1',
      reason: expect.stringContaining('allergic'),
      details: { requestId: id, unblinded: { commitment: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    expect(leakHits(JSON.stringify(audit), vocabulary)).toEqual([]);
    // the first view is the participant's move randomized → unblinded (one entry records it); the second is only a view
    expect(audit.map((e: any) => e.details.changes?.status ?? null).filter(Boolean)).toEqual([
      { old: 'randomized', new: 'unblinded' },
    ]);
    const asStatistician = (
      await t.api.get(`/api/audit?entityId=${p1}&action=unblinding.revealed`, tokens.statistician)
    ).body.entries;
    expect(asStatistician[0].details.unblinded).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) }); // the trial statistician is blinded until end-of-study unblinding
    const refused = (await t.api.get(`/api/audit?entityId=${id}&action=unblinding.reveal_refused`, tokens.auditor)).body
      .entries;
    expect(refused.map((e: any) => e.actor).sort()).toEqual(['investigator2', 'investigator3']);

    const register = await t.api.get('/api/unblinding-register', tokens.auditor);
    expect(register.body).toHaveLength(2);
    expect(register.body[0]).toMatchObject({
      kind: 'emergency-reveal',
      participantId: p1,
      requestId: id,
      seenBy: 'investigator1',
      role: 'investigator',
      reason: expect.stringContaining('allergic'),
    });
    expect(leakHits(register.text, vocabulary)).toEqual([]);
    const csv = await t.api.get('/api/unblinding-register?format=csv', tokens.auditor);
    expect(csv.text.split('\n')[0]).toBe(
      'at,kind,participantId,screeningNumber,siteCode,scope,requestId,seenBy,seenByName,role,reason',
    );
    expect(leakHits(csv.text, vocabulary)).toEqual([]);
    for (const u of ['investigator1', 'monitor', 'statistician'])
      expect((await t.api.get('/api/unblinding-register', tokens[u])).status).toBe(403);
  });

  it('denial: the request is denied, the allocation stays blinded and cannot be revealed [UNBL-003]', async () => {
    const p2 = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const id = (await requestUnblinding(t.api, tokens.investigator1, p2, 'Suspected serious adverse reaction', false))
      .body.id;
    const denied = await decide(t.api, tokens.monitor, id, false, 'Standard care does not depend on the allocation');
    expect(denied.body).toMatchObject({ status: 'denied', decidedBy: 'monitor' });
    const refused = await reveal(t.api, tokens.investigator1, id);
    expect([refused.status, refused.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(leakHits(refused.text, vocabulary)).toEqual([]);
    expect((await t.api.get(`/api/participants/${p2}`, tokens.investigator1)).body).toMatchObject({
      unblinded: false,
      status: 'randomized',
    });
    expect((await decide(t.api, tokens.monitor, id, true)).body.code).toBe('INVALID_TRANSITION');
    // a denied request can be followed by a new one
    expect((await requestUnblinding(t.api, tokens.investigator1, p2, 'New symptoms since the denial')).status).toBe(
      201,
    );
  });

  it('nobody approves their own request (a requester who later became a medical monitor is refused) [UNBL-004]', async () => {
    const p3 = await randomizedPatient(t.api, tokens.investigator9, 'A');
    const id = (await requestUnblinding(t.api, tokens.investigator9, p3)).body.id;
    const me = (await t.api.get('/api/users', tokens.admin)).body.find((u: any) => u.username === 'investigator9');
    const moved = await t.api.patch(
      `/api/users/${me.id}`,
      { role: 'medical_monitor', siteCodes: [], reason: 'moved to the monitoring team' },
      tokens.admin,
    );
    expect(moved.status).toBe(200);
    // the medical monitor role counts in the two-person rule: held until a second person approves
    expect(moved.body).toMatchObject({
      role: 'investigator',
      pendingGrants: [{ kind: 'role', role: 'medical_monitor' }],
    });
    expect(
      (
        await t.api.post(
          `/api/role-grants/${moved.body.pendingGrants[0].id}/decision`,
          { approve: true, signature: { password: DEMO_PASSWORD } },
          tokens.randstat,
        )
      ).status,
    ).toBe(200);
    const asMonitor = await t.api.login('investigator9');
    const self = await decide(t.api, asMonitor, id, true);
    expect([self.status, self.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.api.get(`/api/unblinding-requests/${id}`, tokens.monitor)).body).toMatchObject({
      status: 'pending',
      decisions: [],
    });
    expect((await decide(t.api, tokens.monitor, id, true)).body.status).toBe('approved');
  });
});

describe('emergency unblinding: break-the-glass policy', () => {
  let t: TestApp;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ ...NO_SMTP, PROTOCOL_FILE: protocolWithPolicy('break-the-glass') });
    tokens = await signIn(t, [{ username: 'investigator3', role: 'investigator', siteCodes: ['A'] }]);
  });
  afterAll(async () => t.close());

  it('revealed to the requester at once, the monitor notified, reviewed afterwards (justified or not) [UNBL-005]', async () => {
    expect((await t.api.get('/api/study', tokens.investigator1)).body.unblindingPolicy).toBe('break-the-glass');
    const p1 = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const created = await requestUnblinding(t.api, tokens.investigator1, p1);
    expect(created.body).toMatchObject({
      status: 'approved',
      policy: 'break-the-glass',
      approvalsRequired: 0,
      canReveal: true,
    });
    const id = created.body.id;
    expect((await reveal(t.api, tokens.investigator3, id)).status).toBe(403);
    expect((await reveal(t.api, tokens.monitor, id)).status).toBe(403);
    const shown = await reveal(t.api, tokens.investigator1, id);
    expect(shown.status).toBe(200);
    await expectRevealMatches(t, shown.body, p1);

    const inbox = await t.api.get('/api/notifications', tokens.monitor);
    expect(inbox.body.items.map((n: any) => n.kind)).toEqual(['unblinding.revealed', 'unblinding.break-the-glass']);
    expect(inbox.body.unread).toBe(2);
    expect(leakHits(inbox.text, vocabulary)).toEqual([]);

    expect((await decide(t.api, tokens.investigator1, id, true)).status).toBe(403);
    const review = await decide(t.api, tokens.monitor, id, true, 'Reviewed: a genuine emergency');
    expect(review.body).toMatchObject({
      status: 'revealed',
      reviews: [{ kind: 'review', approve: true, by: 'monitor' }],
    });
    expect((await decide(t.api, tokens.monitor, id, true)).body.code).toBe('FORBIDDEN');

    // the "denial" of break-the-glass: the review finds the unblinding unjustified; the record stays
    const p2 = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const id2 = (await requestUnblinding(t.api, tokens.investigator1, p2, 'Patient asked to know', false)).body.id;
    const unjustified = await decide(
      t.api,
      tokens.monitor,
      id2,
      false,
      'Not an emergency: protocol deviation to be reported',
    );
    expect(unjustified.body).toMatchObject({
      status: 'approved',
      reviews: [{ approve: false, comment: expect.stringContaining('deviation') }],
    });
    const entries = (await t.api.get(`/api/audit?entityId=${id2}`, tokens.auditor)).body.entries.map(
      (e: any) => e.action,
    );
    expect(entries).toEqual(expect.arrayContaining(['unblinding.requested', 'unblinding.reviewed']));
    const requesterInbox = (await t.api.get('/api/notifications', tokens.investigator1)).body;
    expect(requesterInbox.items.map((n: any) => n.kind)).toEqual(['unblinding.reviewed', 'unblinding.reviewed']);
    expect(leakHits(JSON.stringify(requesterInbox), vocabulary)).toEqual([]);
  });
});

describe('emergency unblinding: two-person policy', () => {
  let t: TestApp;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ ...NO_SMTP, PROTOCOL_FILE: protocolWithPolicy('two-person') });
    tokens = await signIn(t, [{ username: 'monitor2', role: 'medical_monitor' }]);
  });
  afterAll(async () => t.close());

  it('needs two different approvers: the same monitor twice is refused, the second approver opens the reveal [UNBL-006]', async () => {
    const p1 = await randomizedPatient(t.api, tokens.investigator2, 'B');
    const created = await requestUnblinding(t.api, tokens.investigator2, p1);
    expect(created.body).toMatchObject({ status: 'pending', policy: 'two-person', approvalsRequired: 2 });
    const id = created.body.id;
    expect((await decide(t.api, tokens.monitor, id, true)).body).toMatchObject({ status: 'pending', approvals: 1 });
    const twice = await decide(t.api, tokens.monitor, id, true);
    expect([twice.status, twice.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(twice.body.message).toMatch(/different/);
    expect((await reveal(t.api, tokens.investigator2, id)).body.code).toBe('INVALID_TRANSITION');
    expect((await t.api.get('/api/notifications', tokens.monitor2)).body.items.map((n: any) => n.kind)).toEqual([
      'unblinding.second-approval-needed',
      'unblinding.requested',
    ]);
    const second = await decide(t.api, tokens.monitor2, id, true, 'Second approval: agreed');
    expect(second.body).toMatchObject({ status: 'approved', approvals: 2, decidedBy: 'monitor2' });
    expect(second.body.decisions.map((d: any) => d.by)).toEqual(['monitor', 'monitor2']);
    const shown = await reveal(t.api, tokens.investigator2, id);
    expect(shown.status).toBe(200);
    await expectRevealMatches(t, shown.body, p1);
    expect((await reveal(t.api, tokens.investigator1, id)).status).toBe(404);
  });

  it('one denial is enough to deny, even after a first approval [UNBL-003]', async () => {
    const p2 = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const id = (await requestUnblinding(t.api, tokens.investigator1, p2)).body.id;
    expect((await decide(t.api, tokens.monitor2, id, true)).body.status).toBe('pending');
    expect((await decide(t.api, tokens.monitor, id, false, 'Not needed for treatment')).body.status).toBe('denied');
    expect((await reveal(t.api, tokens.investigator1, id)).body.code).toBe('INVALID_TRANSITION');
    expect((await t.api.get(`/api/participants/${p2}`, tokens.investigator1)).body.unblinded).toBe(false);
    const inbox = (await t.api.get('/api/notifications', tokens.investigator1)).body;
    expect(inbox.items[0]).toMatchObject({ kind: 'unblinding.denied', read: false });
  });
});
