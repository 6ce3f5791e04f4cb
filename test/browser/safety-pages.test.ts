/**
 * Issue 17 items 6 and 7 by clicking: an investigator signs an inadvertent-unblinding report that the monitor then
 * reads [INADV-001]; the disclosure page says why it is empty before unblinding and, after, shows the investigator
 * only their own site's patients with the treatment received [DISC-001]. Own server: it unblinds the study.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomizedPatient } from './support/api.js';
import { fillSignature } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite();

beforeAll(async () => {
  await randomizedPatient(suite.api, 'investigator1', 'A', 'A-SAFE-1');
  await randomizedPatient(suite.api, 'investigator2', 'B', 'B-SAFE-1');
});

describe('safety pages', () => {
  test('[INADV-001] investigator signs an inadvertent-unblinding report; the monitor reads it', async () => {
    const page = await suite.as('investigator1');
    await page.getByTestId('nav-inadvertent-report').click();
    await page.getByLabel(/A-SAFE-1/).check();
    await page.getByLabel('How it happened').fill('The dispensing sheet was left on the ward printer.');
    await page.getByLabel('Who was unblinded').fill('One study nurse of site A');
    await page.getByLabel('Impact assessment').fill('The nurse does not assess outcomes.');
    await page.getByLabel('Corrective and preventive action').fill('Sheets printed in the pharmacy only.');
    await page.getByRole('button', { name: 'Sign the report…' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/inadvertent unblinding/);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign report' }).click();
    await page.getByText('The report was signed and recorded.').waitFor();

    const monitor = await suite.as('monitor');
    await monitor.getByTestId('nav-inadvertent-unblindings').click();
    const report = monitor.getByTestId('inadvertent-report');
    await report.first().waitFor();
    await expect(report.count()).resolves.toBe(1);
    await expect(report.first().textContent()).resolves.toMatch(/A-SAFE-1[\s\S]*ward printer[\s\S]*One study nurse/);
  });

  test("[DISC-001] the disclosure page is refused before unblinding, then shows the investigator's own site only", async () => {
    const before = await suite.as('investigator1');
    await before.getByTestId('nav-disclosure').click();
    await before.getByText(/exists only after the end-of-study unblinding/).waitFor();

    await suite.api.call('statistician', 'POST', '/study/lock', {
      signature: { password: suite.server.password },
      reason: 'Last patient, last visit',
    });
    await suite.api.call('statistician', 'POST', '/study/unblind', {
      signature: { password: suite.server.password },
      secondSignature: { username: 'statistician2', password: suite.server.password },
    });

    const page = await suite.as('investigator1');
    await page.getByTestId('nav-disclosure').click();
    const rows = page.getByTestId('disclosure-row');
    await rows.first().waitFor();
    await expect(page.getByTestId('disclosure-site').count()).resolves.toBe(1);
    const text = (await page.getByTestId('disclosure-site').textContent()) ?? '';
    expect(text).toMatch(/Site A/);
    expect(text).toMatch(/A-SAFE-1/);
    expect(text).not.toMatch(/B-SAFE-1/);
    expect(text).toMatch(/MSC-PBO|PBO-MSC/);
    await page.getByRole('button', { name: 'Print' }).waitFor();
  });
});
