/**
 * [UI-012] Every signed record on the patient's record carries its manifestation — printed name, meaning and
 * time (21 CFR 11.50(b)) — for the randomization, each dispensation and each correction; for a blinded viewer too,
 * without any arm information (the meaning is one text per act, the same whatever the arm).
 * [UI-015] So do the other places a signed record is shown or exported: unblinding requests and their decisions,
 * the allocation log (JSON and CSV), and the study's activation, lock and two end-of-study unblinding signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SIGNATURE_MEANINGS } from '../../shared/signature-meanings.js';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../support/test-app.js';
import { decide, parseCsv, randomizedPatient, requestUnblinding, signed } from './fixtures/unblinding-helpers.js';

describe('signed records show who signed, what it means and when', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let id = '';
  beforeAll(async () => {
    // Started in setup, so the activation is a signed act like in production (the demo's own is unsigned).
    t = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
    for (const u of ['investigator1', 'pharmacist', 'monitor', 'auditor', 'randstat', 'statistician'])
      tokens[u] = await t.api.login(u);
    const gen = await t.api.post(
      '/api/study/scheme',
      { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'signed-records-seed', listLength: 40 },
      tokens.randstat,
    );
    expect(gen.status).toBe(201);
    expect((await t.api.post('/api/study/activate', signed(), tokens.randstat)).status).toBe(200);
    id = await randomizedPatient(t.api, tokens.investigator1, 'A');
    expect(
      (
        await t.api.post(
          '/api/pharmacy/dispensations',
          { participantId: id, period: 1, lotNumber: 'LOT/2026.1', ...signed() },
          tokens.pharmacist,
        )
      ).status,
    ).toBe(201);
    const corr = await t.api.post(
      `/api/participants/${id}/corrections`,
      { field: 'age', newValue: 36, reason: 'Transcription error', ...signed() },
      tokens.investigator1,
    );
    expect(corr.status).toBeLessThan(300);
  });
  afterAll(async () => t.close());

  it('[UI-012] the patient detail carries the randomization, dispensation and correction signatures', async () => {
    for (const viewer of ['investigator1', 'pharmacist']) {
      const res = await t.api.get(`/api/participants/${id}`, tokens[viewer]);
      expect(res.status).toBe(200);
      const at = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      expect(res.body.randomizationSignature).toEqual({
        printedName: 'Dr. Ines Investigator (Site A)',
        meaning: SIGNATURE_MEANINGS.randomize,
        signedAt: at,
      });
      expect(res.body.dispensations[0].signature).toEqual({
        printedName: 'Pia Pharmacist (cell lab)',
        meaning: SIGNATURE_MEANINGS.dispense,
        signedAt: at,
      });
      expect(res.body.corrections[0].signature).toEqual({
        printedName: 'Dr. Ines Investigator (Site A)',
        meaning: SIGNATURE_MEANINGS.correction,
        signedAt: at,
      });
    }
    // the blinded investigator's record still names no arm, product or lot
    const blinded = await t.api.get(`/api/participants/${id}`, tokens.investigator1);
    expect(leakHits(blinded.text, blindedVocabulary(demoProtocol()))).toEqual([]);
    expect(blinded.body.dispensations[0]).not.toHaveProperty('lotNumber');
  });

  const at = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/);

  it("[UI-015] an unblinding request shows the requester's and each decider's signature, to blinded readers too, without an arm", async () => {
    const req = await requestUnblinding(t.api, tokens.investigator1, id);
    expect(req.status).toBe(201);
    expect(req.body.signature).toEqual({
      printedName: 'Dr. Ines Investigator (Site A)',
      meaning: SIGNATURE_MEANINGS.requestUnblinding,
      signedAt: at,
    });
    expect(req.body.decisions).toEqual([]);
    expect((await decide(t.api, tokens.monitor, req.body.id, true)).status).toBe(200);
    for (const viewer of ['investigator1', 'monitor', 'auditor']) {
      const res = await t.api.get(`/api/unblinding-requests/${req.body.id}`, tokens[viewer]);
      expect(res.status).toBe(200);
      expect(res.body.signature).toEqual({
        printedName: 'Dr. Ines Investigator (Site A)',
        meaning: SIGNATURE_MEANINGS.requestUnblinding,
        signedAt: at,
      });
      expect(res.body.decisions).toHaveLength(1);
      expect(res.body.decisions[0]).toMatchObject({
        approve: true,
        byName: 'Dr. Max Monitor',
        signature: { printedName: 'Dr. Max Monitor', meaning: SIGNATURE_MEANINGS.approveUnblinding, signedAt: at },
      });
      expect(leakHits(res.text, blindedVocabulary(demoProtocol()))).toEqual([]);
    }
    const list = (await t.api.get(`/api/unblinding-requests?participantId=${id}`, tokens.investigator1)).body as any[];
    expect(list.find((r) => r.id === req.body.id).decisions[0].signature.meaning).toBe(
      SIGNATURE_MEANINGS.approveUnblinding,
    );
  });

  it('[UI-015] the allocation log carries signedBy, signatureMeaning and signedAt, appended after the existing columns', async () => {
    const json = (await t.api.get('/api/allocation-log', tokens.auditor)).body as any[];
    const row = json.find((r) => r.participantId === id);
    expect(row).toMatchObject({
      signedBy: 'Dr. Ines Investigator (Site A)',
      signatureMeaning: SIGNATURE_MEANINGS.randomize,
      signedAt: at,
    });
    expect(row).not.toHaveProperty('arm');
    for (const [viewer, withArm] of [
      ['auditor', false],
      ['randstat', true],
    ] as const) {
      const [header, ...rows] = parseCsv((await t.api.get('/api/allocation-log?format=csv', tokens[viewer])).text);
      expect(header).toEqual([
        'randomizationNumber',
        'participantId',
        'screeningNumber',
        'siteCode',
        'stratum',
        'treatmentCode',
        'randomizedAt',
        'randomizedBy',
        'randomizedInError',
        'viaEnvelope',
        'envelopeOpenedAt',
        ...(withArm ? ['arm'] : []),
        'signedBy',
        'signatureMeaning',
        'signedAt',
      ]);
      const mine = rows.find((r) => r[1] === id)!;
      expect(mine.slice(-3)).toEqual(['Dr. Ines Investigator (Site A)', SIGNATURE_MEANINGS.randomize, row.signedAt]);
    }
  });

  it('[UI-015] GET /api/study/signatures shows the activation, lock and both end-of-study unblinding signatures', async () => {
    const before = await t.api.get('/api/study/signatures', tokens.investigator1);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      activation: {
        printedName: 'Rana Randomization-Statistician',
        meaning: SIGNATURE_MEANINGS.activate,
        signedAt: at,
      },
      lock: null,
      unblinding: [],
    });
    expect((await t.api.post('/api/study/lock', signed(), tokens.statistician)).status).toBe(200);
    const unblind = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(unblind.status).toBe(200);
    for (const viewer of ['auditor', 'statistician']) {
      const after = await t.api.get('/api/study/signatures', tokens[viewer]);
      expect(after.body).toEqual({
        activation: before.body.activation,
        lock: { printedName: 'Stella Statistician', meaning: SIGNATURE_MEANINGS.lock, signedAt: at },
        unblinding: [
          { printedName: 'Stella Statistician', meaning: SIGNATURE_MEANINGS.unblind, signedAt: at },
          { printedName: 'Sam Statistician', meaning: SIGNATURE_MEANINGS.unblindSecond, signedAt: at },
        ],
      });
    }
  });
});
