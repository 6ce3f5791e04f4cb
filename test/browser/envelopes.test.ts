/**
 * Downtime envelopes in the console (docs/DOWNTIME.md): the randomization statistician reserves and
 * signs; the investigator prints the investigator copy (code under the seal, no arm anywhere on the
 * page or in what the page received); the pharmacist's copy shows the arm. Screenshots of a sheet.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillSignature, recordApiResponses, screenshot } from './support/browser.js';
import { findLeaks, forbiddenTerms } from './support/protocol.js';
import { ROOT } from './support/server.js';
import { browserSuite } from './support/suite.js';
import { eligiblePatient } from './support/api.js';

jest.setTimeout(120_000);

const suite = browserSuite({ studyStatus: 'setup' });
const { as } = suite;
const terms = forbiddenTerms();

async function sheetShot(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  const png = await page.getByTestId('envelope-sheet').first().screenshot();
  for (const dir of [join(ROOT, 'test-output', 'screenshots'), join(ROOT, 'docs', 'screenshots')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.png`), png);
  }
  await page.emulateMedia({ media: 'screen' });
}

describe('downtime envelopes', () => {
  test("[ENV-012] the randomization statistician reserves, the investigator prints a copy without arm, the pharmacist's copy shows the arm", async () => {
    const randstat = await as('randstat');
    await randstat.getByTestId('nav-envelopes').click();
    const form = randstat.getByTestId('reserve-form');
    await form.getByLabel('Site').selectOption('A');
    await form.getByLabel('Envelopes per stratum').fill('2');
    await form.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(randstat.getByTestId('signature-meaning').textContent()).resolves.toMatch(/downtime envelopes/);
    await fillSignature(randstat, suite.server.password);
    await randstat.getByRole('button', { name: 'Reserve and sign' }).click();
    await randstat.getByText('12 envelopes reserved.').waitFor();
    // the confirmation shows before the list has reloaded: wait for the rows themselves
    await randstat.getByTestId('envelope-row').nth(11).waitFor();
    await expect(randstat.getByTestId('envelope-row').count()).resolves.toBe(12);
    await screenshot(randstat, 'envelopes-reserved');

    const investigator = await as('investigator1');
    const seen = recordApiResponses(investigator);
    await investigator.getByTestId('nav-envelopes').click();
    await investigator.getByTestId('envelope-row').first().waitFor();
    await investigator.getByTestId('print-investigator-A').click();
    await investigator.getByTestId('envelope-sheet').first().waitFor();
    await investigator.getByTestId('envelope-sheet').nth(11).waitFor();
    await expect(investigator.getByTestId('envelope-sheet').count()).resolves.toBe(12);
    await expect(investigator.getByTestId('sheet-arm').count()).resolves.toBe(0);
    await expect(investigator.getByTestId('sealed-code').first().textContent()).resolves.toMatch(/^MS-/);
    await expect(investigator.getByTestId('sheet-copy').first().textContent()).resolves.toMatch(/Investigator copy/);
    await expect(investigator.getByTestId('seal-panel').first().textContent()).resolves.toMatch(
      /Open only when the system is down/,
    );
    const text = await investigator.locator('body').innerText();
    expect(findLeaks(text, terms)).toEqual([]);
    expect(seen.flatMap((r) => findLeaks(r.body, terms).map((l) => `${r.url}: ${l}`))).toEqual([]);
    await sheetShot(investigator, 'envelope-sheet-investigator');

    const pharmacist = await as('pharmacist');
    await pharmacist.goto(`${suite.server.baseUrl}/envelopes`);
    await pharmacist.getByTestId('print-pharmacy-A').click();
    await pharmacist.getByTestId('sheet-arm').first().waitFor();
    const arm = await pharmacist.getByTestId('sheet-arm').first().textContent();
    expect(findLeaks(arm ?? '', terms).length).toBeGreaterThan(0);
    await expect(pharmacist.getByTestId('sheet-copy').first().textContent()).resolves.toMatch(/Pharmacy copy/);
    await sheetShot(pharmacist, 'envelope-sheet-pharmacy');

    // Both prints are in the audit trail
    const audit = await suite.api.call<{
      entries: Array<{ action: string; actor: string; details: { copy: string } }>;
    }>('auditor', 'GET', '/audit?limit=500');
    expect(audit.entries.filter((e) => e.action === 'envelope.printed').map((e) => [e.actor, e.details.copy])).toEqual([
      ['investigator1', 'investigator'],
      ['pharmacist', 'pharmacy'],
    ]);
  });
  test('[ENV-004] after an outage the investigator enters a used envelope in the console, signed, and the patient is randomized via the envelope', async () => {
    const api = suite.api;
    await api.call('randstat', 'POST', '/study/activate', { signature: { password: suite.server.password } });
    const patient = await eligiblePatient(api, 'investigator1', 'A', 'A-ENV-1');
    const sheets = await api.call<{
      sheets: Array<{ number: number; ordinal: number; stratum: string; treatmentCode: string }>;
    }>('investigator1', 'POST', '/envelopes/print', { copy: 'investigator', siteCode: 'A' });
    const envelope = sheets.sheets.find((x) => x.stratum === 'course=RRMS|edss=LE5|site=A' && x.ordinal === 1)!;
    await new Promise((r) => setTimeout(r, 1500)); // opened after activation, in the past

    const page = await as('investigator1');
    await page.getByTestId('nav-envelopes').click();
    const form = page.getByTestId('reconcile-form');
    await form.getByLabel('Patient (eligible, not randomized)').selectOption({ label: 'A-ENV-1 (A)' });
    await form.getByLabel('Envelope number').fill(String(envelope.number));
    await form.getByLabel('Treatment code (under the seal)').fill(envelope.treatmentCode);
    // A second ago, as the browser's local wall-clock time (the console's time zone, not the test's)
    const local = await page.evaluate(() => {
      const d = new Date(Date.now() - 1000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    });
    await form.getByLabel('Opened at (your local time)').fill(local);
    await form.getByLabel('Opened by').fill('Dr Ines Investigator');
    await form.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/randomized with this envelope/);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Enter and sign' }).click();
    await page
      .getByText(`Envelope ${envelope.number} entered: randomization number 1.`)
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${(e as Error).message}\n${(await page.locator('body').innerText()).slice(-1500)}`);
      });
    const row = page.locator(`[data-testid="envelope-row"][data-status="used"]`);
    await row.first().waitFor();
    await expect(row.count()).resolves.toBe(1);
    expect(findLeaks(await page.locator('body').innerText(), terms)).toEqual([]);
    await screenshot(page, 'envelopes-entered');
    const log = await api.call<Array<{ participantId: string; viaEnvelope: number | null }>>(
      'auditor',
      'GET',
      '/allocation-log',
    );
    expect(log.map((r) => [r.participantId, r.viaEnvelope])).toEqual([[patient, envelope.number]]);
  });
});
