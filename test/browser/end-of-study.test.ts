/**
 * The statistician's end of study, by clicking: lock with a signature, unblind with a second
 * statistician's co-signature, download the CDISC export. Own server: it changes the study status.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { randomizedPatient } from './support/api.js';
import { fillSignature, screenshot, signIn, totpFor } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite();

beforeAll(async () => {
  await randomizedPatient(suite.api, 'investigator1', 'A', 'A-EOS-1');
});

describe('end of study', () => {
  test('statistician locks, unblinds with the second statistician, and downloads the CDISC export [UNBL-007, EXP-002, UI-015]', async () => {
    const page = await signIn(suite.browser.context, suite.server.baseUrl, 'statistician', suite.server.password);
    await page.getByTestId('nav-study-lifecycle').click();
    await page.getByRole('button', { name: 'Lock the study…' }).click();
    // [EMERG-011] before the signature: what is still open (A-EOS-1 has two undispensed preparations)
    await expect(page.getByTestId('lock-undispensed').textContent()).resolves.toMatch(
      /Preparations not dispensed: 2.*A-EOS-1/s,
    );
    await expect(page.getByTestId('lock-open-requests').textContent()).resolves.toMatch(/Open unblinding requests: 0/);
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/lock/i);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and lock' }).click();
    await page.getByText('Study locked.').waitFor();
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/locked/);

    await page.getByLabel("Second statistician's username").fill('statistician2');
    await page.getByLabel("Second statistician's password").fill(suite.server.password);
    await page.getByLabel("Second statistician's authenticator code").fill(totpFor('statistician2'));
    await page.getByRole('button', { name: 'Continue to your signature' }).click();
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and unblind' }).click();
    await page.getByText(/The study is unblinded/).waitFor();
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/unblinded/);
    // [UI-015] the lock and both unblinding signatures are shown with printed name, meaning and time
    await page.getByTestId('signature-line').filter({ hasText: 'Sam Statistician' }).waitFor();
    const lines = (await page.getByTestId('signature-line').allTextContents()).join('\n');
    expect(lines).toMatch(/Signed by Stella Statistician[^\n]*\d{2}:\d{2}.*lock the study database/s);
    expect(lines).toMatch(/Signed by Sam Statistician[^\n]*\d{2}:\d{2}.*second statistician/s);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CDISC ADSL-style CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toMatch(/USUBJID/);
    expect(csv).toMatch(/MSC-PBO|PBO-MSC/);
    await screenshot(page, 'statistician-unblinded');
  });
});
