/**
 * Administration → Qualification: the admin runs qualification from the console, sees the report in
 * the list with its result and digest, and downloads the signed JSON; other roles have no such page.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { screenshot } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(180_000);

const suite = browserSuite();
const { as } = suite;

describe('qualification page', () => {
  test('the admin runs qualification, sees the report and downloads the signed JSON [QUAL-014]', async () => {
    const admin = await as('admin');
    await admin.getByTestId('nav-qualification').click();
    await admin.getByRole('heading', { name: 'Qualification' }).waitFor();
    await admin.getByText('No qualification has been run yet.').waitFor();
    await admin.getByTestId('run-qualification').click();
    await admin.getByTestId('qualification-done').waitFor({ timeout: 150_000 });
    await expect(admin.getByTestId('qualification-done').textContent()).resolves.toMatch(
      /^Qualification finished: (PASSED|FAILED)\.$/,
    );
    const rows = admin.locator('[data-testid="qualification-reports"] tbody tr');
    await expect(rows.first().textContent()).resolves.toMatch(/admin.*(PASSED|FAILED).*checks passed/);
    const [file] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'JSON (signed)' }).first().click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^qualification-[0-9a-f-]{36}\.json$/);
    await screenshot(admin, 'qualification-admin');
    const auditor = await as('auditor');
    await expect(auditor.getByTestId('nav-qualification').count()).resolves.toBe(0);
  });
});
