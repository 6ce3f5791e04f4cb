/**
 * The statistician's end of study, by clicking: lock with a signature, unblind with a second
 * statistician's co-signature, download the CDISC export. Own server: it changes the study status.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Api, randomizedPatient } from './support/api.js';
import { launchBrowser, screenshot, signIn, type BrowserHandle } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

jest.setTimeout(120_000);

let server: RunningServer;
let browser: BrowserHandle;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await randomizedPatient(new Api(server.baseUrl, server.password), 'investigator1', 'A', 'A-EOS-1');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('end of study', () => {
  test('statistician locks, unblinds with the second statistician, and downloads the CDISC export', async () => {
    const page = await signIn(browser.context, server.baseUrl, 'statistician', server.password);
    await page.getByTestId('nav-study-lifecycle').click();
    await page.getByRole('button', { name: 'Lock the study…' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/lock/i);
    await page.getByLabel('Your password').fill(server.password);
    await page.getByRole('button', { name: 'Sign and lock' }).click();
    await page.getByText('Study locked.').waitFor();
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/locked/);

    await page.getByLabel("Second statistician's username").fill('statistician2');
    await page.getByLabel("Second statistician's password").fill(server.password);
    await page.getByRole('button', { name: 'Continue to your signature' }).click();
    await page.getByLabel('Your password').fill(server.password);
    await page.getByRole('button', { name: 'Sign and unblind' }).click();
    await page.getByText(/The study is unblinded/).waitFor();
    await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/unblinded/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CDISC ADSL-style CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toMatch(/USUBJID/);
    expect(csv).toMatch(/MSC-PBO|PBO-MSC/);
    await screenshot(page, 'statistician-unblinded');
  });
});
