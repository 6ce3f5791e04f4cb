/**
 * [UI-012] Every signed record on the patient's record carries its manifestation — printed name, meaning and
 * time (21 CFR 11.50(b)) — for the randomization, each dispensation and each correction; for a blinded viewer too,
 * without any arm information (the meaning is one text per act, the same whatever the arm).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SIGNATURE_MEANINGS } from '../../shared/signature-meanings.js';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { randomizedPatient, signed } from './fixtures/unblinding-helpers.js';

describe('signed records show who signed, what it means and when', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let id = '';
  beforeAll(async () => {
    t = await startTestApp();
    for (const u of ['investigator1', 'pharmacist']) tokens[u] = await t.api.login(u);
    id = await randomizedPatient(t.api, tokens.investigator1, 'A');
    expect((await t.api.post('/api/pharmacy/dispensations', { participantId: id, period: 1, lotNumber: 'LOT/2026.1', ...signed() }, tokens.pharmacist)).status).toBe(201);
    const corr = await t.api.post(`/api/participants/${id}/corrections`, { field: 'age', newValue: 36, reason: 'Transcription error', ...signed() }, tokens.investigator1);
    expect(corr.status).toBeLessThan(300);
  });
  afterAll(async () => t.close());

  it('[UI-012] the patient detail carries the randomization, dispensation and correction signatures', async () => {
    for (const viewer of ['investigator1', 'pharmacist']) {
      const res = await t.api.get(`/api/participants/${id}`, tokens[viewer]);
      expect(res.status).toBe(200);
      const at = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      expect(res.body.randomizationSignature).toEqual({ printedName: 'Dr. Ines Investigator (Site A)', meaning: SIGNATURE_MEANINGS.randomize, signedAt: at });
      expect(res.body.dispensations[0].signature).toEqual({ printedName: 'Pia Pharmacist (cell lab)', meaning: SIGNATURE_MEANINGS.dispense, signedAt: at });
      expect(res.body.corrections[0].signature).toEqual({ printedName: 'Dr. Ines Investigator (Site A)', meaning: SIGNATURE_MEANINGS.correction, signedAt: at });
    }
    // the blinded investigator's record still names no arm, product or lot
    const blinded = await t.api.get(`/api/participants/${id}`, tokens.investigator1);
    expect(leakHits(blinded.text, blindedVocabulary(demoProtocol()))).toEqual([]);
    expect(blinded.body.dispensations[0]).not.toHaveProperty('lotNumber');
  });
});
