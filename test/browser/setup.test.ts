/**
 * Set-up and corrections, by clicking, on a server started with the study in set-up
 * (DEMO_STUDY_STATUS=setup): the randomization statistician generates, inspects, downloads and rehearses the list,
 * activates the study with a signature and the fingerprint is published to every role; then an
 * investigator records a signed correction (the allocation stands) and an auditor verifies it.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { SIGNATURE_MEANINGS } from '../../shared/signature-meanings.js';
import { readFileSync } from 'node:fs';
import { randomizedPatient } from './support/api.js';
import { fillSignature, screenshot } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ studyStatus: 'setup' });
const { as } = suite;

/** Lets a test stand alone: activates the study through the API unless the set-up journey already did. */
async function ensureActive(): Promise<void> {
  const study = await suite.api.call<{ status: string }>('randstat', 'GET', '/study');
  if (study.status === 'setup')
    await suite.api.call('randstat', 'POST', '/study/activate', { signature: { password: suite.server.password } });
}

describe('set-up', () => {
  test('the randomization statistician generates, inspects, downloads and rehearses the list, then activates; the fingerprint is published to every role [RAND-014]', async () => {
    const page = await as('randstat');
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/setup/);
    await page.getByTestId('nav-scheme').click();
    await page.getByRole('heading', { level: 1, name: 'Allocation list' }).waitFor();

    await page.getByRole('combobox', { name: /^Method/ }).selectOption('permuted-block');
    await page.getByLabel('Block sizes (comma-separated)').fill('4');
    await page.getByLabel(/^Seed phrase/).fill('setup-journey-seed-1');
    await page.getByLabel(/^Entries per stratum/).fill('24');
    await page.getByRole('button', { name: 'Generate list' }).click();
    await page.getByText('Scheme and list generated.').waitFor();
    const summary = page.getByTestId('scheme-summary');
    await expect(summary.textContent()).resolves.toContain('"blockSizes":[4]');

    await summary.getByRole('button', { name: 'Show list' }).first().click();
    const firstStratum = summary.locator('tr.detail-row tbody tr');
    await expect(firstStratum.count()).resolves.toBe(24);
    await expect(firstStratum.first().textContent()).resolves.toMatch(/MSC-PBO|PBO-MSC/);
    await screenshot(page, 'statistician-list-generated');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summary.getByRole('button', { name: 'Download list (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('stratum,position,arm,treatment_code');
    expect(csv.length - 1).toBe(24 * 12); // 3 courses × 2 EDSS levels × 2 sites

    await summary.getByRole('button', { name: 'Hide list' }).click();
    await page.getByLabel('Synthetic patients', { exact: true }).fill('100');
    await page.getByRole('button', { name: 'Run rehearsal' }).click();
    const rehearsal = page.getByTestId('rehearsal-result');
    await rehearsal.waitFor();
    await expect(rehearsal.textContent()).resolves.toMatch(/100 randomized; no stratum ran out of list/);
    await expect(rehearsal.locator('tbody tr').count()).resolves.toBe(12);
    await screenshot(page, 'statistician-rehearsal');

    const fingerprint = (await summary.locator('code.fingerprint').first().getAttribute('title'))!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Activate the study…' }).click();
    // [EMERG-007] the rehearsal's outcome is shown before the signature (no warning here: no override reason asked)
    await expect(page.getByTestId('activation-summary').textContent()).resolves.toMatch(/raised no warning/);
    await expect(page.getByLabel(/Reason to activate despite/).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/activate the study/i);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and activate' }).click();
    await page.getByText('Study activated; the list fingerprint is published.').waitFor();
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/active/);
    await expect(page.getByTestId('study-fingerprint').getAttribute('title')).resolves.toBe(fingerprint);
    await screenshot(page, 'statistician-activated');

    // Every role sees the same published fingerprint, e.g. an investigator in the header.
    const investigator = await as('investigator1');
    await expect(investigator.getByTestId('study-status').textContent()).resolves.toMatch(/active/);
    await expect(investigator.getByTestId('study-fingerprint').getAttribute('title')).resolves.toBe(fingerprint);
    const study = await suite.api.call<{ listFingerprint: string }>('investigator1', 'GET', '/study');
    expect(study.listFingerprint).toBe(fingerprint);
  });
});

describe('corrections', () => {
  test('investigator corrects the EDSS of a randomized patient with a signature; stratum and randomization number stay [AUDIT-007]', async () => {
    await ensureActive();
    const patient = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-CORR-1');
    const before = await suite.api.call<{ stratum: string; randomizationNumber: number }>(
      'investigator1',
      'GET',
      `/participants/${patient.id}`,
    );
    expect(before.stratum).toContain('edss=LE5');

    const page = await as('investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/${patient.id}`);
    await page.getByRole('heading', { level: 1, name: /A-CORR-1/ }).waitFor();
    await expect(page.getByTestId('corrections').textContent()).resolves.toContain('No corrections recorded.');
    await page.getByRole('button', { name: 'Record a correction…' }).click();
    const form = page.getByTestId('correction-form');
    await expect(form.getByTestId('allocation-stands').textContent()).resolves.toMatch(
      /allocation stands.*analyzed as randomized/s,
    );
    await form.getByLabel('Field to correct').selectOption('edss');
    await expect(form.getByTestId('correction-current').textContent()).resolves.toBe('4');
    await form.getByLabel('EDSS at inclusion').fill('6');
    await form.getByLabel('Reason for the correction').fill('Transcription error: the source document says EDSS 6.0.');
    await screenshot(page, 'investigator-correction');
    await form.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/I confirm this correction/);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and record correction' }).click();
    await page.getByText(/Correction of EDSS at inclusion recorded\. The allocation stands/).waitFor();

    const row = page.getByTestId('correction-row').first();
    await expect(row.textContent()).resolves.toMatch(/EDSS at inclusion\s*4 → 6\s*Transcription error.*investigator1/s);
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Randomization' }) });
    await expect(card.textContent()).resolves.toContain('Baseline EDSS band: EDSS ≤ 5.0');
    await expect(card.textContent()).resolves.toContain(String(patient.randomizationNumber));
    await screenshot(page, 'investigator-corrected');

    const after = await suite.api.call<{
      stratum: string;
      randomizationNumber: number;
      treatmentCode: string;
      answers: { edss: number };
    }>('investigator1', 'GET', `/participants/${patient.id}`);
    expect(after.answers.edss).toBe(6);
    expect(after.stratum).toBe(before.stratum);
    expect(after.randomizationNumber).toBe(patient.randomizationNumber);
    expect(after.treatmentCode).toBe(patient.treatmentCode);
  });

  test('auditor verifies the signature of a correction from the audit trail [ESIG-002]', async () => {
    await ensureActive();
    const patient = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-CORR-2');
    await suite.api.call('investigator1', 'POST', `/participants/${patient.id}/corrections`, {
      field: 'age',
      newValue: 36,
      reason: 'Birth date re-checked against the ID card.',
      signature: { password: suite.server.password, meaning: SIGNATURE_MEANINGS.correction },
    });
    const page = await as('auditor');
    await page.getByLabel('Action').fill('participant.corrected');
    await page.getByLabel('Record id').fill(patient.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The filtered page holds the one correction of this patient.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-table"] tbody > tr').length === 1);
    const verify = page.getByTestId('audit-table').getByRole('button', { name: 'Verify signature' });
    await expect(verify.count()).resolves.toBe(1);
    await verify.click();
    const result = page.getByTestId('signature-verification');
    await result.getByTestId('signature-verdict').waitFor();
    await expect(result.getByTestId('signature-verdict').textContent()).resolves.toMatch(/Valid signature/);
    const text = (await result.textContent())!;
    expect(text).toContain('Dr. Ines Investigator (Site A)');
    expect(text).toContain(SIGNATURE_MEANINGS.correction);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(text).toMatch(/correction [0-9a-f-]{36}/);
    await screenshot(page, 'auditor-signature-verified');
  });
});
