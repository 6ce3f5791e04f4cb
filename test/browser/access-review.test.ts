/**
 * The access review page (issue 16, Build 6), as an admin would use it: on a phone (375 px wide), in
 * French, the report readable as cards, then a review signed with the signature dialog and listed as
 * verified. The hash shown is the hash the server stored.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fillSignature, screenshot, settled } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite();
const PHONE = { width: 375, height: 812 };

describe('access review in the console', () => {
  let study: string;
  beforeAll(async () => {
    await suite.api.call('admin', 'PATCH', '/auth/me', { locale: 'fr' });
    study = (await suite.api.call<{ code: string }>('admin', 'GET', '/study')).code;
    const users = await suite.api.call<Array<{ id: string; username: string }>>('admin', 'GET', '/users');
    const inv2 = users.find((u) => u.username === 'investigator2')!;
    await suite.api.call('admin', 'PATCH', `/users/${inv2.id}`, { role: 'auditor', siteCodes: [], reason: 'QA' });
  });

  test('the admin reads the report and signs a review on a phone, in French [REV-008]', async () => {
    const page = await suite.as('admin');
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.baseUrl}/admin/access-review`);
    await page.getByRole('heading', { name: 'Revue des accès' }).waitFor();
    const row = page.locator('[data-testid="access-review-accounts"] tr[data-username="investigator2"]');
    await row.waitFor();
    // on a phone each row is a card whose cells carry their column's heading
    await expect(row.locator('td[data-label="Accordé par"]').textContent()).resolves.toContain('admin');
    await expect(row.locator('td[data-label="Rôle et sites"]').textContent()).resolves.toMatch(/Auditeur/i);
    await expect(page.getByTestId('access-review-changes').textContent()).resolves.toContain('investigator2');
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'access-review-phone-fr');

    const shownHash = (await page.getByTestId('access-review-hash').textContent())!.trim();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('access-review-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`access-review-${study}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(csv[0]).toMatch(/^study,username,displayName,role,/);
    expect(csv.find((l) => l.includes(',investigator2,'))).toContain(shownHash);
    await page.getByTestId('access-review-sign').click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(
      /^J'ai revu ce rapport des accès/,
    );
    await page.getByTestId('access-review-conclusion').fill('investigator2 passé en assurance qualité : confirmé.');
    await fillSignature(page, suite.server.password);
    await screenshot(page, 'access-review-sign-phone-fr');
    await page.getByRole('button', { name: 'Signer la revue' }).click();
    await page.getByText(/Revue signée\. La prochaine est due le/).waitFor();
    const verification = page.getByTestId('review-verification');
    await expect(verification.textContent()).resolves.toContain('empreinte du rapport et signature vérifiées');
    await expect(page.getByTestId('access-review-no-changes').count()).resolves.toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'access-review-signed-phone-fr');

    const reviews = await suite.api.call<Array<{ contentHash: string; reviewer: string }>>(
      'admin',
      'GET',
      `/studies/${study}/access-review/reviews`,
    );
    expect(reviews).toEqual([expect.objectContaining({ contentHash: shownHash, reviewer: 'admin' })]);
  });
});
