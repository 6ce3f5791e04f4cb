/**
 * Downtime envelopes in the console (docs/DOWNTIME.md): the randomization statistician reserves and
 * signs; the investigator prints the investigator copy (code under the seal, no arm anywhere on the
 * page or in what the page received); the pharmacist's copy shows the arm. Screenshots of a sheet.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { recordApiResponses, screenshot } from './support/browser.js';
import { findLeaks, forbiddenTerms } from './support/protocol.js';
import { ROOT } from './support/server.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite({ studyStatus: 'setup' });
const { as } = suite;
const terms = forbiddenTerms();

async function sheetShot(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  for (const dir of [join(ROOT, 'test-output', 'screenshots'), join(ROOT, 'docs', 'screenshots')]) {
    mkdirSync(dir, { recursive: true });
    await page.getByTestId('envelope-sheet').first().screenshot({ path: join(dir, `${name}.png`) });
  }
  await page.emulateMedia({ media: 'screen' });
}

describe('downtime envelopes', () => {
  test('[ENV-012] the randomization statistician reserves, the investigator prints a copy without arm, the pharmacist\'s copy shows the arm', async () => {
    const randstat = await as('randstat');
    await randstat.getByTestId('nav-envelopes').click();
    const form = randstat.getByTestId('reserve-form');
    await form.getByLabel('Site').selectOption('A');
    await form.getByLabel('Envelopes per stratum').fill('2');
    await form.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(randstat.getByTestId('signature-meaning').textContent()).resolves.toMatch(/downtime envelopes/);
    await randstat.getByLabel('Your password').fill(suite.server.password);
    await randstat.getByRole('button', { name: 'Reserve and sign' }).click();
    await randstat.getByText('12 envelopes reserved.').waitFor();
    await expect(randstat.getByTestId('envelope-row').count()).resolves.toBe(12);
    await screenshot(randstat, 'envelopes-reserved');

    const investigator = await as('investigator1');
    const seen = recordApiResponses(investigator);
    await investigator.getByTestId('nav-envelopes').click();
    await investigator.getByTestId('envelope-row').first().waitFor();
    await investigator.getByTestId('print-investigator-A').click();
    await investigator.getByTestId('envelope-sheet').first().waitFor();
    await expect(investigator.getByTestId('envelope-sheet').count()).resolves.toBe(12);
    await expect(investigator.getByTestId('sheet-arm').count()).resolves.toBe(0);
    await expect(investigator.getByTestId('sealed-code').first().textContent()).resolves.toMatch(/^MS-/);
    await expect(investigator.getByTestId('sheet-copy').first().textContent()).resolves.toMatch(/Investigator copy/);
    await expect(investigator.getByTestId('seal-panel').first().textContent()).resolves.toMatch(/Open only when the system is down/);
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
    const audit = await suite.api.call<{ entries: Array<{ action: string; actor: string; details: { copy: string } }> }>('auditor', 'GET', '/audit?limit=500');
    expect(audit.entries.filter((e) => e.action === 'envelope.printed').map((e) => [e.actor, e.details.copy])).toEqual([['investigator1', 'investigator'], ['pharmacist', 'pharmacy']]);
  });
});
