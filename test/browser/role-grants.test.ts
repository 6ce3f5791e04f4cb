/**
 * No self-granted unblinding, by clicking: the admin creates a pharmacist without a password (held,
 * inactive); the admin's own approval page offers no decision; the randomization statistician signs
 * the approval; the user sets their own password from the one-time link (printed here by the
 * operator's CLI, as the test server has no SMTP) and signs in.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { fillSignature, screenshot, signIn } from './support/browser.js';
import { browserSuite } from './support/suite.js';
import { CLI_ENTRY } from '../support/index.js';

jest.setTimeout(120_000);

const suite = browserSuite();
const { as } = suite;

describe('role approvals and set-password links', () => {
  test('a pharmacist account waits for a second person, then its owner sets the password from the link [ACC-008, ACC-009]', async () => {
    const admin = await as('admin');
    const form = admin.getByTestId('create-user-form');
    await form.getByLabel('Username').fill('pharm9');
    await form.getByLabel('Full name (printed on signatures)').fill('Paul Preparer');
    await form.getByLabel('Role').selectOption('pharmacist');
    await form.getByLabel('E-mail').fill('pharm9@blindrand.local');
    await form.getByRole('button', { name: 'Create user' }).click();
    await admin.getByText(/User pharm9 created; the role waits for a second person's approval/).waitFor();
    const row = admin.locator('[data-testid="users-table"] tr[data-username="pharm9"]');
    await expect(row.getByTestId('pending-grant').textContent()).resolves.toMatch(/new account awaiting approval/);
    await expect(row.textContent()).resolves.toContain('deactivated');
    // the requester sees the grant but cannot decide it
    await admin.getByTestId('nav-role-grants').click();
    const mine = admin.locator('[data-testid="pending-grants"] tr[data-username="pharm9"]');
    await expect(mine.textContent()).resolves.toMatch(/Requested by you/);
    await expect(mine.getByRole('button', { name: 'Approve…' }).count()).resolves.toBe(0);

    const randstat = await as('randstat');
    await randstat.getByTestId('nav-role-grants').click();
    const pending = randstat.locator('[data-testid="pending-grants"] tr[data-username="pharm9"]');
    await expect(pending.textContent()).resolves.toContain('pharm9@blindrand.local');
    await pending.getByRole('button', { name: 'Approve…' }).click();
    await expect(randstat.getByTestId('signature-meaning').textContent()).resolves.toMatch(/I approve this grant/);
    await randstat.getByTestId('grant-comment').fill('Identity checked with the cell lab lead');
    await fillSignature(randstat, suite.server.password);
    await randstat.getByRole('button', { name: 'Sign and approve' }).click();
    await randstat
      .getByText(
        'New account of pharm9 approved. No e-mail server is configured, so no link was e-mailed to pharm9: ask the operator to run `npm run cli -- user password-link --username pharm9`',
      )
      .waitFor();
    await screenshot(randstat, 'randstat-role-approved');

    // the operator prints a link (with SMTP it is e-mailed to pharm9@blindrand.local instead)
    const link = execFileSync(
      'node',
      [CLI_ENTRY, 'user', 'password-link', '--username', 'pharm9', '--db', suite.server.databasePath],
      {
        encoding: 'utf8',
        env: { ...process.env, PUBLIC_URL: suite.server.baseUrl, DATABASE_URL: '' },
      },
    ).trim();
    expect(link).toMatch(/\/set-password\?token=[A-Za-z0-9_-]{40,}$/);
    const page = suite.track(await suite.browser.context.newPage());
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password').fill('pharm9-own-password');
    await page.getByLabel('Repeat the password').fill('pharm9-own-password');
    await screenshot(page, 'set-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByTestId('password-set').waitFor();
    // the link works once
    await page.goto(link);
    await page.getByLabel('New password').fill('another-password-1');
    await page.getByLabel('Repeat the password').fill('another-password-1');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not valid/);
    const own = suite.track(await signIn(suite.browser.context, suite.server.baseUrl, 'pharm9', 'pharm9-own-password'));
    expect(new URL(own.url()).pathname).toMatch(/^\/s\/[^/]+\/pharmacy\/tasks$/);
  });
});
