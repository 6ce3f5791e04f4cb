/**
 * Issue 17 item 5 [SAFE-001]: a safety unblinding (SUSAR / expedited report) delivers the arm only to the protocol's
 * designated recipient — an e-mail address through a real SMTP exchange, or the pharmacovigilance users through an
 * audited reveal — while the requester and the study team get one neutral confirmation whose shape does not depend
 * on the arm; the blinding crawl over every route, notification and e-mail of the blinded roles finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { createAccount, NO_SMTP } from './fixtures/accounts.js';
import { BLINDED_SURFACES, protocolWithSafetyRecipient } from './fixtures/safety-protocol.js';
import { SmtpSink } from './fixtures/smtp-sink.js';
import { randomizedPatient, storedArm, waitFor } from './fixtures/unblinding-helpers.js';

const MAIL_ENV = { MAIL_POLL_MS: '200', MAIL_RETRY_BASE_MS: '200', MAIL_RETRY_MAX_MS: '1000' };
const PV_ADDRESS = 'pharmacovigilance@chu-toulouse.fr';
const PHARMACIST_ADDRESS = 'pharmacist@blindrand.local';
const BLINDED = ['admin', 'investigator1', 'investigator2', 'monitor', 'statistician', 'auditor'];
const protocol = demoProtocol();
const vocabulary = blindedVocabulary(protocol);
const armLabel = (code: string) => protocol.arms.find((a) => a.code === code)!.label;

const safetyRequest = (
  participantId: string,
  reason = 'Suspected unexpected serious adverse reaction: hepatitis',
  reportReference = 'FR-CHU-2026-0042',
) => ({ participantId, reason, reportReference, signature: { password: DEMO_PASSWORD } });

/** Randomizes patients at site A until two have different arms; returns [patient, arm] pairs. */
async function twoArms(t: TestApp, token: string): Promise<Array<{ id: string; arm: string }>> {
  const seen = new Map<string, string>();
  for (let i = 0; i < 8 && seen.size < 2; i++) {
    const id = await randomizedPatient(t.api, token, 'A');
    const arm = await storedArm(t, id);
    if (!seen.has(arm)) seen.set(arm, id);
  }
  if (seen.size < 2) throw new Error('eight patients of one stratum all had the same arm');
  return [...seen].map(([arm, id]) => ({ id, arm }));
}

/** Every text the blinded roles can read: each surface, each patient, each safety unblinding. */
async function blindedTexts(
  t: TestApp,
  tokens: Record<string, string>,
  safetyIds: string[],
): Promise<Array<{ who: string; path: string; text: string }>> {
  const out: Array<{ who: string; path: string; text: string }> = [];
  for (const who of BLINDED) {
    const paths = [...BLINDED_SURFACES];
    const patients = await t.api.get('/api/participants', tokens[who]);
    if (patients.status === 200) for (const p of patients.body) paths.push(`/api/participants/${p.id}`);
    for (const id of safetyIds) paths.push(`/api/safety-unblindings/${id}`, `/api/safety-unblindings/${id}/reveal`);
    for (const path of paths) {
      const res = await t.api.get(path, tokens[who]);
      out.push({ who, path: `${path} → ${res.status}`, text: res.text });
    }
  }
  return out;
}

/** The fields that name the patient or the moment; what is left must be identical whatever the arm. */
function shape(view: Record<string, unknown>) {
  const {
    id: _i,
    participantId: _p,
    screeningNumber: _s,
    randomizationNumber: _r,
    treatmentCode: _c,
    requestedAt: _a,
    signatureId: _g,
    ...rest
  } = view;
  return rest;
}

describe('[SAFE-001] safety unblinding to a designated e-mail address (real SMTP exchange)', () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let patients: Array<{ id: string; arm: string }>;
  const views: Array<Record<string, any>> = [];

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      ...MAIL_ENV,
      PROTOCOL_FILE: protocolWithSafetyRecipient({ email: PV_ADDRESS }),
    });
    for (const u of [...BLINDED, 'pharmacist']) tokens[u] = await t.api.login(u);
    patients = await twoArms(t, tokens.investigator1);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('answers the requester with the same neutral confirmation for either arm, and mails the arm to the designated address only', async () => {
    const settings = await t.api.get('/api/safety-unblindings/settings', tokens.investigator1);
    expect(settings.body).toEqual({ enabled: true, recipientKind: 'email' });
    for (const p of patients) {
      const res = await t.api.post('/api/safety-unblindings', safetyRequest(p.id), tokens.investigator1);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        participantId: p.id,
        status: 'delivered',
        recipient: { kind: 'email', address: PV_ADDRESS },
        viewCount: 0,
        canView: false,
      });
      expect(res.body.confirmation).toContain('delivered to the designated recipient');
      expect(leakHits(res.text, vocabulary)).toEqual([]);
      views.push(res.body);
    }
    expect(shape(views[0])).toEqual(shape(views[1]));

    const mails = await waitFor(
      'both e-mails to the designated address',
      async () => smtp.to(PV_ADDRESS).length === 2 && smtp.to(PV_ADDRESS),
    );
    for (const p of patients) {
      const mail = mails.find((m) => m.text.includes(views[patients.indexOf(p)].screeningNumber))!;
      expect(mail.subject).toContain('Safety unblinding');
      expect(mail.text).toContain(`${armLabel(p.arm)} (${p.arm})`);
      expect(mail.text).toContain('FR-CHU-2026-0042');
      // the control: this message does carry the arm, so the scan below would see one if it reached anyone else
      expect(leakHits(mail.text, vocabulary).length).toBeGreaterThan(0);
    }
    await waitFor(
      'the confirmations to the requester and the monitor',
      async () =>
        smtp.to('investigator1@blindrand.local').length === 2 && smtp.to('monitor@blindrand.local').length === 2,
    );
    // the unblinded pharmacist also gets a preparation notice at each randomization (scanned in the crawl below)
    const confirmations = smtp.received.filter((m) => !m.to.includes(PV_ADDRESS) && !m.to.includes(PHARMACIST_ADDRESS));
    expect(confirmations.map((m) => m.subject)).toEqual(
      Array(4).fill('[blindrand] A safety unblinding was delivered to the designated recipient'),
    );
    for (const m of confirmations)
      expect({ to: m.to, hits: leakHits(m.text, vocabulary) }).toEqual({ to: m.to, hits: [] });
    // same words for both arms: the two confirmations to the requester differ only by the reference
    const [a, b] = smtp.to('investigator1@blindrand.local').map((m) =>
      m.text
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join('\n\n')
        .replace(/[0-9a-f-]{36}/g, 'REF'),
    );
    expect(a).toContain('delivered to the designated recipient');
    expect(a).toBe(b);
  });

  it('registers and audits each delivery with the arm sealed; the patient stays blinded to the study team', async () => {
    const register = await t.api.get('/api/unblinding-register', tokens.auditor);
    const rows = register.body.filter((r: any) => r.kind === 'safety-email');
    expect(rows.map((r: any) => r.participantId).sort()).toEqual(patients.map((p) => p.id).sort());
    expect(rows.every((r: any) => r.seenBy === PV_ADDRESS && r.role === 'safety-recipient')).toBe(true);
    const audit = await t.api.get('/api/audit?action=unblinding.safety_delivered', tokens.auditor);
    expect(audit.body.entries).toHaveLength(2);
    expect(audit.body.entries[0].details.unblinded).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const patient = await t.api.get(`/api/participants/${patients[0].id}`, tokens.investigator1);
    expect(patient.body.status).not.toBe('unblinded');
    const raw = await openRawDb(t.config);
    try {
      const [sealed] = await raw.all(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'unblinding.safety_delivered' AND details LIKE '%armCode%'",
      );
      expect(Number(sealed.n)).toBe(0);
    } finally {
      await raw.close();
    }
  });

  it("refuses a reason naming an arm, another site's patient, and the reveal to anyone but pharmacovigilance", async () => {
    const leaky = await t.api.post(
      '/api/safety-unblindings',
      safetyRequest(patients[0].id, `Reaction after ${protocol.products[0].label} infusion`),
      tokens.investigator1,
    );
    expect([leaky.status, leaky.body.code]).toEqual([400, 'BLINDING_RISK']);
    expect(
      (await t.api.post('/api/safety-unblindings', safetyRequest(patients[0].id), tokens.investigator2)).status,
    ).toBe(404);
    expect((await t.api.post('/api/safety-unblindings', safetyRequest(patients[0].id), tokens.auditor)).status).toBe(
      403,
    );
    expect((await t.api.get(`/api/safety-unblindings/${views[0].id}`, tokens.investigator2)).status).toBe(404);
    for (const who of ['investigator1', 'monitor', 'pharmacist'])
      expect((await t.api.get(`/api/safety-unblindings/${views[0].id}/reveal`, tokens[who])).status).toBe(403);
    expect(smtp.to(PV_ADDRESS)).toHaveLength(2);
  });

  it('the blinding crawl: every route, notification and e-mail of the blinded roles names no arm', async () => {
    const texts = await blindedTexts(
      t,
      tokens,
      views.map((v) => v.id),
    );
    const hits = texts.flatMap((x) => leakHits(x.text, vocabulary).map((h) => `${x.who} ${x.path}: ${h}`));
    const mailHits = smtp.received
      .filter((m) => !m.to.includes(PV_ADDRESS))
      .flatMap((m) => leakHits(m.text, vocabulary).map((h) => `${m.to}: ${h}`));
    console.log(
      `SAFE-001 crawl (e-mail recipient): ${texts.length} responses, ${smtp.received.filter((m) => !m.to.includes(PV_ADDRESS)).length} e-mails to others (the pharmacist's preparation notices included), hits=${hits.length + mailHits.length}`,
    );
    expect([...hits, ...mailHits]).toEqual([]);
  });
});

describe('[SAFE-001] safety unblinding to the pharmacovigilance role (audited reveal)', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let patient: string;
  let safetyId: string;

  beforeAll(async () => {
    t = await startTestApp({ ...NO_SMTP, PROTOCOL_FILE: protocolWithSafetyRecipient({ role: 'pharmacovigilance' }) });
    for (const u of [...BLINDED, 'randstat']) tokens[u] = await t.api.login(u);
    patient = await randomizedPatient(t.api, tokens.investigator1, 'A');
  });
  afterAll(async () => t.close());

  it('refuses while no pharmacovigilance account exists (nothing written), then delivers once one is approved', async () => {
    const none = await t.api.post('/api/safety-unblindings', safetyRequest(patient), tokens.investigator1);
    expect([none.status, none.body.code]).toEqual([409, 'SAFETY_UNBLINDING_UNAVAILABLE']);
    expect((await t.api.get('/api/safety-unblindings', tokens.monitor)).body).toEqual([]);
    // a sensitive role: held until a second person approves it
    const held = await t.api.post(
      '/api/users',
      {
        username: 'pv-held',
        displayName: 'Held PV',
        role: 'pharmacovigilance',
        siteCodes: [],
        email: 'pv-held@test.local',
      },
      tokens.admin,
    );
    expect(held.body.pendingGrants).toHaveLength(1);
    const pv = await createAccount(
      t,
      tokens.admin,
      { username: 'pv1', role: 'pharmacovigilance', displayName: 'Dr. Paule Vigilance' },
      tokens.randstat,
    );
    tokens.pv1 = pv.token;

    const res = await t.api.post('/api/safety-unblindings', safetyRequest(patient), tokens.investigator1);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'delivered',
      recipient: { kind: 'role', role: 'pharmacovigilance' },
      canView: false,
    });
    expect(leakHits(res.text, vocabulary)).toEqual([]);
    safetyId = res.body.id;
    const inbox = await t.api.get('/api/notifications', tokens.pv1);
    expect(inbox.body.items.map((n: any) => n.kind)).toEqual(['safety.available']);
    expect(leakHits(inbox.text, vocabulary)).toEqual([]);
    expect((await t.api.get('/api/notifications', tokens.investigator1)).body.items.map((n: any) => n.kind)).toEqual([
      'safety.delivered',
    ]);
  });

  it('shows the arm to the pharmacovigilance user only, for that patient only, each view registered and audited', async () => {
    const listed = await t.api.get('/api/safety-unblindings', tokens.pv1);
    expect(listed.body.map((s: any) => [s.id, s.canView])).toEqual([[safetyId, true]]);
    const shown = await t.api.get(`/api/safety-unblindings/${safetyId}/reveal`, tokens.pv1);
    expect(shown.status).toBe(200);
    expect(shown.body.arm).toBe(await storedArm(t, patient));
    expect(shown.body.viewCount).toBe(1);
    expect((await t.api.get(`/api/safety-unblindings/${safetyId}/reveal`, tokens.pv1)).body.viewCount).toBe(2);
    // no other patient, no patient list, no audit trail
    for (const path of [
      '/api/participants',
      `/api/participants/${patient}`,
      '/api/allocation-log',
      '/api/audit',
      '/api/unblinding-register',
    ]) {
      expect({ path, status: (await t.api.get(path, tokens.pv1)).status }).toEqual({ path, status: 403 });
    }
    expect(
      (await t.api.get('/api/safety-unblindings/00000000-0000-4000-8000-000000000000/reveal', tokens.pv1)).status,
    ).toBe(404);
    const register = (await t.api.get('/api/unblinding-register', tokens.auditor)).body.filter(
      (r: any) => r.kind === 'safety-reveal',
    );
    expect(register.map((r: any) => [r.participantId, r.seenBy])).toEqual([
      [patient, 'pv1'],
      [patient, 'pv1'],
    ]);
    const audit = await t.api.get('/api/audit?action=unblinding.safety_viewed', tokens.auditor);
    expect(audit.body.entries.map((e: any) => e.details.viewCount)).toEqual(expect.arrayContaining([1, 2]));
    expect((await t.api.get(`/api/safety-unblindings/${safetyId}`, tokens.investigator1)).body).toMatchObject({
      viewCount: 2,
      firstViewedAt: expect.stringMatching(/Z$/),
    });
  });

  it('the blinding crawl finds nothing for the requester and every blinded role', async () => {
    const texts = await blindedTexts(t, tokens, [safetyId]);
    const hits = texts.flatMap((x) => leakHits(x.text, vocabulary).map((h) => `${x.who} ${x.path}: ${h}`));
    const raw = await openRawDb(t.config);
    try {
      const mails = await raw.all("SELECT to_address, body FROM mail_outbox WHERE to_address NOT LIKE 'pv%'");
      for (const m of mails)
        hits.push(...leakHits(String(m.body), vocabulary).map((h) => `mail to ${m.to_address}: ${h}`));
    } finally {
      await raw.close();
    }
    console.log(`SAFE-001 crawl (pharmacovigilance role): ${texts.length} responses, hits=${hits.length}`);
    expect(hits).toEqual([]);
  });
});
