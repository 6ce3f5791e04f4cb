import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { openRawDb } from '../support/raw-db.js';
import {
  blindedVocabulary,
  demoProtocol,
  eligibleAnswers,
  leakHits,
  newParticipant,
  randomize,
} from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

function cli(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('node', [CLI, ...args], { encoding: 'utf8' }) };
  } catch (err: any) {
    return { code: err.status, out: String(err.stdout) };
  }
}

describe('the whole journey: design → activate → screen → randomize → dispense → audit', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const vocabulary = blindedVocabulary(demoProtocol());
  let patientId: string;
  let randomized: any;

  beforeAll(async () => {
    t = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
    for (const u of [
      'statistician',
      'randstat',
      'investigator1',
      'investigator2',
      'pharmacist',
      'auditor',
      'monitor',
      'admin',
    ])
      tokens[u] = await t.api.login(u);
  });
  afterAll(async () => t.close());

  it('the randomization statistician designs: generates, rehearses on a test copy, regenerates, views the list [RAND-014]', async () => {
    const study = await t.api.get('/api/study', tokens.randstat);
    expect(study.body).toMatchObject({
      code: 'MSCT-MS',
      design: 'crossover',
      status: 'setup',
      unblindingPolicy: 'monitor-approval',
    });
    expect(study.body.arms.map((a: any) => a.code)).toEqual(['MSC-PBO', 'PBO-MSC']);

    const first = await t.api.post(
      '/api/study/scheme',
      { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'journey-seed-1', listLength: 8 },
      tokens.randstat,
    );
    expect(first.status).toBe(201);
    expect(first.body.strata).toHaveLength(12);
    const second = await t.api.post(
      '/api/study/scheme',
      { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'journey-seed-2', listLength: 8 },
      tokens.randstat,
    );
    expect(second.body.version).toBe(first.body.version + 1);
    expect(second.body.fingerprint).not.toBe(first.body.fingerprint);
    // A phrase is only mixed into the server's random seed: the same phrase gives another list.
    const same = await t.api.post(
      '/api/study/scheme',
      { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'journey-seed-2', listLength: 8 },
      tokens.randstat,
    );
    expect(same.body.fingerprint).not.toBe(second.body.fingerprint);

    const rehearsal = await t.api.post('/api/study/rehearsal', { patients: 200, seed: 'r1' }, tokens.randstat);
    expect(rehearsal.status).toBe(200);
    expect(rehearsal.body.randomized + rehearsal.body.refusedListExhausted).toBe(200);
    const capacity = same.body.strata.reduce((n: number, s: any) => n + s.size, 0);
    expect(same.body.strata.every((s: any) => s.size >= 8 && s.size <= 10)).toBe(true); // 8 rounded up to whole blocks of 2 or 4
    expect(rehearsal.body.randomized).toBeLessThanOrEqual(capacity);
    expect(rehearsal.body.refusedListExhausted).toBeGreaterThan(0);

    const scheme = await t.api.get('/api/study/scheme', tokens.randstat);
    expect(scheme.body.strata[0].entries[0]).toEqual({
      position: 1,
      armCode: expect.stringMatching(/^(MSC-PBO|PBO-MSC)$/),
      treatmentCode: expect.stringMatching(/^MS-[A-Z2-9]{6}$/),
    });
    const csv = await t.api.get('/api/study/scheme?format=csv', tokens.randstat);
    expect(csv.text.split('\n')[0]).toBe('stratum,position,arm,treatment_code');
    expect(csv.text.trim().split('\n')).toHaveLength(
      1 + scheme.body.strata.reduce((n: number, s: any) => n + s.size, 0),
    );
    expect((await t.api.get('/api/study/scheme', tokens.investigator1)).status).toBe(403);
    // the trial statistician reads the method and parameters they chose, never the list
    const design = await t.api.get('/api/study/scheme', tokens.statistician);
    expect(design.body).toMatchObject({ method: 'permuted-block', params: { blockSizes: [2, 4] } });
    expect(design.body).not.toHaveProperty('strata');
    expect(leakHits(design.text, vocabulary)).toEqual([]);
    expect((await t.api.get('/api/study/scheme?format=csv', tokens.statistician)).status).toBe(403);
    expect((await t.api.post('/api/study/scheme', { method: 'simple' }, tokens.statistician)).status).toBe(403);
    expect((await t.api.post('/api/study/rehearsal', { patients: 10 }, tokens.statistician)).status).toBe(403);
    // nothing can be randomized before activation
    expect(
      (
        await t.api.post(
          '/api/participants',
          { siteCode: 'A', screeningNumber: 'early', ...eligibleAnswers() },
          tokens.investigator1,
        )
      ).body.code,
    ).toBe('STUDY_NOT_ACTIVE');
  });

  it('activation is signed: a wrong password changes nothing; then the fingerprint is published to every role [RAND-014, ESIG-001, EMERG-007]', async () => {
    // [EMERG-007] the rehearsal above ran out of list: activation shows it and needs an override reason
    const summary = await t.api.get('/api/study/activation-summary', tokens.randstat);
    expect(summary.body).toMatchObject({ rehearsed: true, overrideRequired: true });
    expect(summary.body.warnings.length).toBeGreaterThan(0);
    const unexplained = await t.api.post(
      '/api/study/activate',
      { signature: { password: DEMO_PASSWORD } },
      tokens.randstat,
    );
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.details.warnings).toEqual(summary.body.warnings);
    const overrideReason = 'Short list accepted for the pilot; the list will be extended before site B opens';
    const wrong = await t.api.post(
      '/api/study/activate',
      { signature: { password: 'wrong-password' }, overrideReason },
      tokens.randstat,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('SIGNATURE_INVALID');
    expect((await t.api.get('/api/study', tokens.randstat)).body.status).toBe('setup');
    const ok = await t.api.post(
      '/api/study/activate',
      { signature: { password: DEMO_PASSWORD }, overrideReason },
      tokens.randstat,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('active');
    const fingerprint = ok.body.listFingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    for (const u of ['investigator1', 'pharmacist', 'auditor', 'monitor', 'admin']) {
      const view = await t.api.get('/api/study', tokens[u]);
      expect(view.body.listFingerprint).toBe(fingerprint);
      expect(view.body.status).toBe('active');
    }
    const entry = (await t.api.get('/api/audit?action=study.activated', tokens.auditor)).body.entries[0];
    expect(entry.details.listFingerprint).toBe(fingerprint);
    expect(entry.reason).toBe(overrideReason);
    expect(entry.details.overriddenWarnings).toEqual(summary.body.warnings);
    expect(entry.details.signature).toMatchObject({
      printedName: 'Rana Randomization-Statistician',
      meaning: expect.stringContaining('activate'),
    });
    const regen = await t.api.post('/api/study/scheme', { method: 'simple', seed: 'too-late-seed' }, tokens.randstat);
    expect(regen.status).toBe(409);
    expect(regen.body.code).toBe('SCHEME_LOCKED');
  });

  it('an ineligible patient is registered with every failed criterion and cannot be randomized [RAND-009]', async () => {
    const answers = eligibleAnswers('RRMS', 4.5);
    const res = await t.api.post(
      '/api/participants',
      {
        siteCode: 'A',
        screeningNumber: 'A-INEL',
        factors: answers.factors,
        eligibility: { ...answers.eligibility, age: 61, active_infection: true },
      },
      tokens.investigator1,
    );
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('ineligible');
    expect(res.body.eligibilityFailures.map((f: any) => f.id)).toEqual(expect.arrayContaining(['age']));
    expect(res.body.eligibilityFailures.length).toBeGreaterThanOrEqual(2);
    const r = await randomize(t.api, tokens.investigator1, res.body.id, 'inel-key-0001');
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('NOT_ELIGIBLE');
    expect(r.body.details.eligibilityFailures.length).toBe(res.body.eligibilityFailures.length);
    const dup = await t.api.post(
      '/api/participants',
      { siteCode: 'A', screeningNumber: 'A-INEL', ...answers },
      tokens.investigator1,
    );
    expect(dup.body.code).toBe('DUPLICATE');
    const otherSite = await t.api.post(
      '/api/participants',
      { siteCode: 'B', screeningNumber: 'B-X', ...answers },
      tokens.investigator1,
    );
    expect(otherSite.status).toBe(403);
  });

  it('the investigator randomizes with a signature and gets a number and a blinded code [RAND-011]', async () => {
    patientId = await newParticipant(t.api, tokens.investigator1, { site: 'A', course: 'SPMS', edss: 6 });
    const noSignature = await t.api.post(`/api/participants/${patientId}/randomize`, {}, tokens.investigator1, {
      'idempotency-key': 'journey-key-1',
    });
    expect(noSignature.status).toBe(400);
    const res = await randomize(t.api, tokens.investigator1, patientId, 'journey-key-1');
    expect(res.status).toBe(201);
    randomized = res.body;
    expect(res.body).toMatchObject({
      participantId: patientId,
      randomizationNumber: 1,
      treatmentCode: expect.stringMatching(/^MS-/),
      stratum: 'course=SPMS|edss=GE5.5|site=A',
    });
    expect(res.body.signature.printedName).toBe('Dr. Ines Investigator (Site A)');
    expect(leakHits(res.text, vocabulary)).toEqual([]);
    const again = await randomize(t.api, tokens.investigator1, patientId, 'journey-key-2');
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_RANDOMIZED']);
    // the participant lifecycle's move eligible → randomized is recorded in the randomization's one audit entry
    const entry = (await t.api.get(`/api/audit?entityId=${patientId}&action=participant.randomized`, tokens.auditor))
      .body.entries;
    expect(entry.map((e: any) => e.details.changes)).toEqual([{ status: { old: 'eligible', new: 'randomized' } }]);
    const view = await t.api.get(`/api/participants/${patientId}`, tokens.investigator1);
    expect(view.body).toMatchObject({
      status: 'randomized',
      randomizationNumber: 1,
      treatmentCode: randomized.treatmentCode,
    });
    expect(view.body).not.toHaveProperty('arm');
  });

  it('the pharmacist sees what to prepare per period and records the dispensations with lots [BLIND-011]', async () => {
    const tasks = (await t.api.get('/api/pharmacy/tasks', tokens.pharmacist)).body.filter(
      (x: any) => x.participantId === patientId,
    );
    expect(tasks).toHaveLength(2);
    expect(tasks.map((x: any) => x.period)).toEqual([1, 2]);
    expect(tasks[0].product).not.toBe(tasks[1].product);
    expect(new Set(tasks.map((x: any) => x.product))).toEqual(new Set(['MSC', 'PBO']));
    expect(tasks[0].arm).toBe(tasks[0].arm === 'MSC-PBO' ? 'MSC-PBO' : 'PBO-MSC');
    expect(tasks[0].product).toBe(tasks[0].arm.split('-')[0]);
    expect(tasks.every((x: any) => x.status === 'to-prepare' && x.treatmentCode === randomized.treatmentCode)).toBe(
      true,
    );

    const outOfOrder = await t.api.post(
      '/api/pharmacy/dispensations',
      { participantId: patientId, period: 2, lotNumber: 'LOT-2', signature: { password: DEMO_PASSWORD } },
      tokens.pharmacist,
    );
    expect(outOfOrder.body.code).toBe('INVALID_TRANSITION');
    const d1 = await t.api.post(
      '/api/pharmacy/dispensations',
      { participantId: patientId, period: 1, lotNumber: 'CELL-LOT-001', signature: { password: DEMO_PASSWORD } },
      tokens.pharmacist,
    );
    expect(d1.status).toBe(201);
    expect(d1.body).toMatchObject({
      period: 1,
      lotNumber: 'CELL-LOT-001',
      product: tasks[0].product,
      treatmentCode: randomized.treatmentCode,
      preparedBy: 'pharmacist',
    });
    const twice = await t.api.post(
      '/api/pharmacy/dispensations',
      { participantId: patientId, period: 1, lotNumber: 'CELL-LOT-001', signature: { password: DEMO_PASSWORD } },
      tokens.pharmacist,
    );
    expect(twice.body.code).toBe('DUPLICATE');
    expect(
      (await t.api.get('/api/pharmacy/tasks', tokens.pharmacist)).body.find(
        (x: any) => x.participantId === patientId && x.period === 1,
      ).status,
    ).toBe('dispensed');

    // blinded roles see that it happened, never what
    for (const u of ['investigator1', 'monitor', 'auditor']) {
      const v = await t.api.get(`/api/participants/${patientId}`, tokens[u]);
      // who signed, with which fixed meaning and when (21 CFR 11.50) — never the product or the lot
      expect(v.body.dispensations).toEqual([
        {
          period: 1,
          dispensedAt: d1.body.dispensedAt,
          signature: {
            printedName: 'Pia Pharmacist (cell lab)',
            meaning: expect.any(String),
            signedAt: d1.body.dispensedAt,
          },
        },
      ]);
      expect(leakHits(v.text, vocabulary)).toEqual([]);
    }
    expect((await t.api.get('/api/pharmacy/tasks', tokens.investigator1)).status).toBe(403);
  });

  it('a signed correction keeps the allocation and both values in the audit trail [AUDIT-007]', async () => {
    const res = await t.api.post(
      `/api/participants/${patientId}/corrections`,
      {
        field: 'edss',
        newValue: 5.0,
        reason: 'EDSS transcribed wrongly from the source record',
        signature: { password: DEMO_PASSWORD },
      },
      tokens.investigator1,
    );
    expect(res.status).toBe(201);
    expect(res.body.answers.edss).toBe(5.0);
    expect(res.body.stratum).toBe('course=SPMS|edss=GE5.5|site=A'); // analyze as randomized
    expect(res.body.randomizationNumber).toBe(1);
    expect(res.body.corrections[0]).toMatchObject({
      field: 'edss',
      oldValue: 6,
      newValue: 5,
      reason: expect.stringContaining('transcribed'),
    });
    const entry = (await t.api.get(`/api/audit?action=participant.corrected&entityId=${patientId}`, tokens.auditor))
      .body.entries[0];
    expect(entry.details.changes.edss).toEqual({ old: 6, new: 5 });
    expect(entry.reason).toContain('transcribed');
  });

  it('the auditor and the trial statistician read the allocation log without arms, the randomization statistician and pharmacist with arms; the chain verifies [EXP-001]', async () => {
    const blindedLog = await t.api.get('/api/allocation-log', tokens.auditor);
    expect(blindedLog.body).toHaveLength(1);
    expect(blindedLog.body[0]).toMatchObject({
      randomizationNumber: 1,
      participantId: patientId,
      siteCode: 'A',
      stratum: randomized.stratum,
      randomizedBy: 'investigator1',
      treatmentCode: randomized.treatmentCode,
    });
    expect(blindedLog.body[0]).not.toHaveProperty('arm');
    const csv = await t.api.get('/api/allocation-log?format=csv', tokens.auditor);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).not.toContain('arm');
    expect(leakHits(csv.text, vocabulary)).toEqual([]);
    const unblinded = await t.api.get('/api/allocation-log?format=csv', tokens.randstat);
    // the trial statistician is blinded while the study runs
    const asTrialStatistician = await t.api.get('/api/allocation-log?format=csv', tokens.statistician);
    expect(asTrialStatistician.text.split('\n')[0].split(',')).not.toContain('arm');
    expect(leakHits(asTrialStatistician.text, vocabulary)).toEqual([]);
    expect(unblinded.text.split('\n')[0].split(',')).toContain('arm');
    expect((await t.api.get('/api/allocation-log', tokens.pharmacist)).body[0].arm).toMatch(/^(MSC-PBO|PBO-MSC)$/);
    expect((await t.api.get('/api/allocation-log', tokens.investigator1)).status).toBe(403);

    const verify = await t.api.get('/api/audit/verify', tokens.auditor);
    expect(verify.body).toMatchObject({ valid: true, firstInvalidSeq: null });
    const trail = (await t.api.get('/api/audit?entityId=' + patientId, tokens.auditor)).body.entries;
    // notification.sent: the pharmacist's preparation notice at randomization (issue 15), in the same transaction
    expect(trail.map((e: any) => e.action)).toEqual([
      'participant.registered',
      'participant.randomized',
      'notification.sent',
      'dispensation.recorded',
      'participant.corrected',
    ]);
    // Sealed: the auditor sees only the commitment the chain hashes, never the arm or the nonce.
    expect(trail[1].details.unblinded).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(trail[1].seal).toBeUndefined();
    expect(leakHits(JSON.stringify(trail), vocabulary)).toEqual([]);
    const asStatistician = (await t.api.get('/api/audit?entityId=' + patientId, tokens.statistician)).body.entries;
    expect(asStatistician[1].details.unblinded).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) }); // blinded until end-of-study unblinding
  });

  it('signatures show their manifestation, and one moved onto another record fails verification (QUALITY 13) [ESIG-002]', async () => {
    const second = await newParticipant(t.api, tokens.investigator2, { site: 'B' });
    await randomize(t.api, tokens.investigator2, second, 'journey-key-3');
    const raw = await openRawDb(t.config);
    try {
      const [a1] = await raw.all('SELECT id, signature_id FROM allocations WHERE randomization_number = 1');
      const [a2] = await raw.all('SELECT id, signature_id FROM allocations WHERE randomization_number = 2');
      const ok = await t.api.get(`/api/signatures/${a1.signature_id}/verification`, tokens.auditor);
      expect(ok.body).toMatchObject({
        valid: true,
        printedName: 'Dr. Ines Investigator (Site A)',
        meaning: expect.any(String),
        signedAt: expect.stringMatching(/Z$/),
        recordType: 'randomization',
      });
      await raw.run('UPDATE signatures SET record_id = ? WHERE id = ?', [a2.id, a1.signature_id]);
      const moved = await t.api.get(`/api/signatures/${a1.signature_id}/verification`, tokens.auditor);
      expect(moved.body.valid).toBe(false);
      expect(moved.body.problem).toMatch(/moved|changed/);
      await raw.run('UPDATE signatures SET record_id = ? WHERE id = ?', [a1.id, a1.signature_id]);
      expect((await t.api.get(`/api/signatures/${a1.signature_id}/verification`, tokens.auditor)).body.valid).toBe(
        true,
      );
    } finally {
      await raw.close();
    }
  });

  it('replay re-derives every allocation from the seed (QUALITY 14) and the CLI exports the log [RAND-002, EXP-004]', async () => {
    const args = usingPostgres
      ? ['--database-url', (t.config.database as any).url]
      : ['--db', (t.config.database as any).path];
    const ok = cli(['replay', ...args, '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.out);
    expect(report).toMatchObject({ allocations: 2, listRegenerated: true, fingerprintMatches: true, mismatches: [] });
    const exported = cli(['export', 'allocation-log', ...args]);
    expect(exported.code).toBe(0);
    expect(exported.out.trim().split('\n')).toHaveLength(3);
    expect(leakHits(exported.out, vocabulary)).toEqual([]);
    const raw = await openRawDb(t.config);
    try {
      const [a] = await raw.all('SELECT arm_code FROM allocations WHERE randomization_number = 1');
      await raw.run('UPDATE allocations SET arm_code = ? WHERE randomization_number = 1', [
        a.arm_code === 'MSC-PBO' ? 'PBO-MSC' : 'MSC-PBO',
      ]);
      const bad = cli(['replay', ...args, '--json']);
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.out).mismatches).toEqual([
        { randomizationNumber: 1, problem: expect.stringContaining('differs from list entry') },
      ]);
      await raw.run('UPDATE allocations SET arm_code = ? WHERE randomization_number = 1', [a.arm_code]);
    } finally {
      await raw.close();
    }
  });
});
