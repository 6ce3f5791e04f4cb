/**
 * Issue 17 items 6 and 7. [INADV-001] An inadvertent unblinding is reported with a signature, its free text checked
 * (a report naming an arm is refused), kept in the register and the audit trail, and listed for the medical monitor
 * and the auditor. [DISC-001] The end-of-study disclosure is refused before unblinding, then gives each
 * investigator the treatment of their own site's patients only, audited and registered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { randomizedPatient, signed, storedArm } from './fixtures/unblinding-helpers.js';

const protocol = demoProtocol();
const vocabulary = blindedVocabulary(protocol);

const report = (participantIds: string[], overrides: Record<string, unknown> = {}) => ({
  participantIds,
  occurredOn: '2026-11-20',
  howItHappened: 'The pharmacy dispensing sheet was left on the ward printer and read by a study nurse.',
  whoWasUnblinded: 'One study nurse of site A (N. Dupont)',
  impactAssessment: 'The nurse does not assess outcomes; EDSS assessments stay with the blinded neurologist.',
  correctiveAction: 'Dispensing sheets printed in the pharmacy only; staff retrained on 2026-11-22.',
  signature: { password: DEMO_PASSWORD },
  ...overrides,
});

describe('[INADV-001] [DISC-001] inadvertent unblinding reports and the end-of-study disclosure', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const siteA: string[] = [];
  const siteB: string[] = [];
  let reportId: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const u of ['admin', 'investigator1', 'investigator2', 'pharmacist', 'monitor', 'statistician', 'auditor'])
      tokens[u] = await t.api.login(u);
    for (let i = 0; i < 3; i++) siteA.push(await randomizedPatient(t.api, tokens.investigator1, 'A'));
    for (let i = 0; i < 2; i++) siteB.push(await randomizedPatient(t.api, tokens.investigator2, 'B'));
  });
  afterAll(async () => t.close());

  it("[INADV-001] refuses a report whose free text names a product, another site's patient, a future date and an unsigned report; nothing is written", async () => {
    const leaky = await t.api.post(
      '/api/inadvertent-unblindings',
      report([siteA[0]], { howItHappened: `The ${protocol.products[0].label} label was visible on the bag.` }),
      tokens.investigator1,
    );
    expect([leaky.status, leaky.body.code, leaky.body.details?.field]).toEqual([400, 'BLINDING_RISK', 'howItHappened']);
    const leakyImpact = await t.api.post(
      '/api/inadvertent-unblindings',
      report([siteA[0]], { impactAssessment: `Patient known to be on ${protocol.arms[1].code}.` }),
      tokens.investigator1,
    );
    expect([leakyImpact.status, leakyImpact.body.code]).toEqual([400, 'BLINDING_RISK']);
    expect((await t.api.post('/api/inadvertent-unblindings', report([siteB[0]]), tokens.investigator1)).status).toBe(
      404,
    );
    expect(
      (
        await t.api.post(
          '/api/inadvertent-unblindings',
          report([siteA[0]], { occurredOn: '2999-01-01' }),
          tokens.investigator1,
        )
      ).body.code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (
        await t.api.post(
          '/api/inadvertent-unblindings',
          report([siteA[0]], { signature: { password: 'wrong-password' } }),
          tokens.investigator1,
        )
      ).body.code,
    ).toBe('SIGNATURE_INVALID');
    expect((await t.api.post('/api/inadvertent-unblindings', report([siteA[0]]), tokens.auditor)).status).toBe(403);
    expect((await t.api.get('/api/inadvertent-unblindings', tokens.monitor)).body).toEqual([]);
  });

  it('[INADV-001] a signed report is listed for the monitor and the auditor, registered per patient and audited', async () => {
    const res = await t.api.post('/api/inadvertent-unblindings', report([siteA[1], siteA[0]]), tokens.investigator1);
    expect(res.status).toBe(201);
    reportId = res.body.id;
    expect(res.body).toMatchObject({
      reportedBy: 'investigator1',
      reporterRole: 'investigator',
      occurredOn: '2026-11-20',
      signatureId: expect.any(String),
    });
    expect(res.body.patients.map((p: any) => p.participantId).sort()).toEqual([siteA[0], siteA[1]].sort());
    expect(
      (
        await t.api.post(
          '/api/inadvertent-unblindings',
          report([siteB[1]], { whoWasUnblinded: 'A cell lab technician from another team' }),
          tokens.pharmacist,
        )
      ).status,
    ).toBe(201);

    for (const who of ['monitor', 'auditor']) {
      const list = await t.api.get('/api/inadvertent-unblindings', tokens[who]);
      expect(list.body.map((r: any) => r.reporterRole)).toEqual(['pharmacist', 'investigator']);
      expect(leakHits(list.text, vocabulary)).toEqual([]);
      expect(
        (await t.api.get(`/api/inadvertent-unblindings/${reportId}`, tokens[who])).body.correctiveAction,
      ).toContain('retrained');
    }
    for (const who of ['investigator1', 'admin', 'statistician'])
      expect((await t.api.get('/api/inadvertent-unblindings', tokens[who])).status).toBe(403);

    const verification = await t.api.get(`/api/signatures/${res.body.signatureId}/verification`, tokens.auditor);
    expect(verification.body).toMatchObject({ valid: true });
    expect(verification.body.meaning ?? JSON.stringify(verification.body)).toContain('inadvertent unblinding');
    const register = (await t.api.get('/api/unblinding-register', tokens.auditor)).body.filter(
      (r: any) => r.kind === 'inadvertent',
    );
    expect(
      register
        .filter((r: any) => r.seenBy === 'investigator1')
        .map((r: any) => r.participantId)
        .sort(),
    ).toEqual([siteA[0], siteA[1]].sort());
    const audit = (await t.api.get('/api/audit?action=unblinding.inadvertent_reported', tokens.auditor)).body.entries;
    expect(audit).toHaveLength(2);
    expect(audit.find((e: any) => e.entityId === reportId)).toMatchObject({
      actor: 'investigator1',
      reason: expect.stringContaining('ward printer'),
    });
    const inbox = await t.api.get('/api/notifications', tokens.monitor);
    expect(inbox.body.items.filter((n: any) => n.kind === 'safety.inadvertent-reported')).toHaveLength(2);
    expect(leakHits(inbox.text, vocabulary)).toEqual([]);
  });

  it('[DISC-001] before end-of-study unblinding the disclosure is 409 STUDY_NOT_UNBLINDED, and a safety unblinding without a designated recipient is 409', async () => {
    for (const who of ['investigator1', 'statistician']) {
      const res = await t.api.get('/api/disclosure', tokens[who]);
      expect([res.status, res.body.code]).toEqual([409, 'STUDY_NOT_UNBLINDED']);
    }
    expect((await t.api.get('/api/disclosure', tokens.auditor)).status).toBe(403);
    const safety = await t.api.post(
      '/api/safety-unblindings',
      { participantId: siteA[2], reason: 'Suspected unexpected serious adverse reaction', ...signed() },
      tokens.investigator1,
    );
    expect([safety.status, safety.body.code]).toEqual([409, 'SAFETY_UNBLINDING_UNAVAILABLE']);
    expect((await t.api.get('/api/safety-unblindings/settings', tokens.investigator1)).body).toEqual({
      enabled: false,
      recipientKind: null,
    });
  });

  it("[DISC-001] after unblinding each investigator gets their own site's patients with the treatment received; audited and registered", async () => {
    expect(
      (await t.api.post('/api/study/lock', { ...signed(), reason: 'Last patient, last visit' }, tokens.statistician))
        .status,
    ).toBe(200);
    const unblind = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(unblind.status).toBe(200);

    const a = await t.api.get('/api/disclosure', tokens.investigator1);
    expect(a.status).toBe(200);
    expect(a.body.sites.map((s: any) => s.siteCode)).toEqual(['A']);
    expect(a.body.sites[0].patients.map((p: any) => p.participantId).sort()).toEqual([...siteA].sort());
    for (const p of a.body.sites[0].patients) {
      expect(p.arm).toBe(await storedArm(t, p.participantId));
      expect(p.armLabel).toBe(protocol.arms.find((x) => x.code === p.arm)!.label);
    }
    const b = await t.api.get('/api/disclosure', tokens.investigator2);
    expect(b.body.sites.map((s: any) => [s.siteCode, s.patients.length])).toEqual([['B', 2]]);
    expect(JSON.stringify(b.body)).not.toContain(siteA[0]);
    expect((await t.api.get('/api/disclosure?site=B', tokens.investigator1)).status).toBe(404);
    const all = await t.api.get('/api/disclosure', tokens.statistician);
    expect(all.body.sites.map((s: any) => [s.siteCode, s.patients.length])).toEqual([
      ['A', 3],
      ['B', 2],
    ]);
    expect((await t.api.get('/api/disclosure', tokens.auditor)).status).toBe(403);

    const audit = (await t.api.get('/api/audit?action=disclosure.generated', tokens.auditor)).body.entries;
    expect(audit.map((e: any) => [e.actor, e.details.patients])).toEqual(
      expect.arrayContaining([
        ['investigator1', 3],
        ['investigator2', 2],
        ['statistician', 5],
      ]),
    );
    expect(leakHits(JSON.stringify(audit), vocabulary)).toEqual([]);
    const register = (await t.api.get('/api/unblinding-register', tokens.auditor)).body.filter(
      (r: any) => r.kind === 'disclosure' && r.seenBy === 'investigator1',
    );
    expect(register.map((r: any) => r.participantId).sort()).toEqual([...siteA].sort());
  });
});
