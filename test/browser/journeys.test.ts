/**
 * Each role's main journey, walked by clicking in Chromium against the real server on a fresh
 * database. Every journey prepares what it needs itself (through the API), so each test stands alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, jest, test } from '@jest/globals';
import { eligiblePatient, randomizedPatient } from './support/api.js';
import { fillSignature, screenshot } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(90_000);

const suite = browserSuite();
const { as } = suite;

const MAIN_PAGES: Array<[string, string, string]> = [
  ['admin', '/admin/users', 'Users'],
  ['investigator1', '/patients', 'Patients'],
  ['pharmacist', '/pharmacy/tasks', 'Preparation tasks'],
  ['monitor', '/unblinding/requests', 'Unblinding requests'],
  ['statistician', '/statistics/design', 'Scheme design'],
  ['randstat', '/statistics/scheme', 'Allocation list'],
  ['auditor', '/audit', 'Audit trail'],
];

describe('sign-in and main pages', () => {
  test.each(MAIN_PAGES)(
    '%s signs in and lands on %s, with the study status visible',
    async (username, path, heading) => {
      const page = await as(username);
      expect(new URL(page.url()).pathname.replace(/^\/s\/[^/]+/, '')).toBe(path); // links carry the study
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expect(page.getByTestId('study-status').textContent()).resolves.toMatch(/active|setup|locked|unblinded/);
    },
  );

  test('a wrong password is refused with a sentence, and the sign-in page is screenshotted', async () => {
    const page = suite.track(await suite.browser.context.newPage());
    await page.goto(`${suite.server.baseUrl}/sign-in`);
    await page.getByLabel('Username').fill('auditor');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/sign in|password|session/i);
    await page.getByLabel('Password').fill('');
    await screenshot(page, 'sign-in');
  });

  test('the route guard shows the 403 page for a page the role may not open, and the navigation hides it [ACC-006]', async () => {
    const page = await as('investigator1');
    await expect(page.getByTestId('nav-users').count()).resolves.toBe(0);
    await page.goto(`${suite.server.baseUrl}/admin/users`);
    await page.getByTestId('forbidden').waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Not allowed/);
  });
});

describe('journeys', () => {
  test('admin creates a user, who then appears in the list [ACC-007]', async () => {
    const page = await as('admin');
    const form = page.getByTestId('create-user-form');
    await form.getByLabel('Username').fill('investigator3');
    await form.getByLabel('Full name (printed on signatures)').fill('Dr. Ada Example');
    await form.getByLabel('Role').selectOption('investigator');
    await form.getByRole('checkbox', { name: /^A — / }).check();
    // no password field: the user sets their own from a one-time e-mailed link
    await expect(form.locator('input[type="password"]').count()).resolves.toBe(0);
    await form.getByLabel('E-mail').fill('investigator3@blindrand.local');
    await form.getByRole('button', { name: 'Create user' }).click();
    // the test server has no SMTP: the console says so and names the operator's command, not "e-mailed"
    await page
      .getByText(
        'User investigator3 created. No e-mail server is configured, so no link was e-mailed to investigator3: ask the operator to run `npm run cli -- user password-link --username investigator3`',
      )
      .waitFor();
    const row = page.locator('[data-testid="users-table"] tr[data-username="investigator3"]');
    await expect(row.textContent()).resolves.toContain('Dr. Ada Example');
    await screenshot(page, 'admin-user-created');
  });

  test('auditor verifies the audit chain and sees that it is intact [AUDIT-003]', async () => {
    const page = await as('auditor');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('seq,at,actor,role,action,entityType,entityId,reason,details,prevHash,hash');
    expect(csv.trim().split('\n').length).toBeGreaterThan(10);
    await page.getByTestId('nav-audit-integrity').click();
    await page.getByTestId('verify-chain').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('The chain is intact.');
    await screenshot(page, 'auditor-chain-verified');
  });

  test('investigator registers an eligible patient and randomizes it with a signature [RAND-011]', async () => {
    const page = await as('investigator1');
    await page.getByTestId('nav-patient-new').click();
    await page.getByLabel('Site').selectOption('A');
    await page.getByLabel('Screening number').fill('A-BR-001');
    await page.getByLabel('MS course').selectOption('RRMS');
    await page.getByLabel('Age (years)').fill('35');
    await page.getByLabel('Disease duration since diagnosis').fill('5');
    await page.getByLabel('EDSS at inclusion').fill('4');
    await page.getByLabel(/^Not responding to at least one year/).selectOption('yes');
    await page.getByLabel('Clinically documented relapses in the past 12 months').fill('1');
    await page.getByLabel('Clinically documented relapses in the past 24 months').fill('2');
    await page.getByLabel(/^Gadolinium-enhancing lesions/).fill('1');
    await page.getByLabel(/^New T2 lesion/).selectOption('no');
    await page.getByLabel('EDSS increase over the past 12 months').fill('0');
    await page.getByLabel(/^Positive cerebrospinal fluid/).selectOption('no');
    await page.getByLabel('Active infection').selectOption('no');
    await page.getByLabel('Immunosuppressant treatment in the past 3 months').selectOption('no');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { level: 1, name: /A-BR-001/ }).waitFor();
    await page.getByRole('button', { name: 'Randomize…' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(/randomi/i);
    await fillSignature(page, suite.server.password);
    await screenshot(page, 'investigator-signature');
    await page.getByRole('button', { name: 'Sign and randomize' }).click();
    const result = page.getByTestId('randomization-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/MS-[A-Z0-9]{6}/);
    await screenshot(page, 'investigator-randomized');
  });

  test('a randomization whose answer is lost is retried with the same Idempotency-Key and randomizes once [RAND-006]', async () => {
    const id = await eligiblePatient(suite.api, 'investigator1', 'A', 'A-BR-IDEM');
    const page = await as('investigator1');
    const keys: string[] = [];
    let first = true;
    let firstBody: { randomizationNumber: number } | null = null;
    await page.route('**/api/studies/*/participants/*/randomize', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch(); // the server randomizes…
      firstBody = await response.json();
      await route.abort('connectionreset'); // …but the answer never reaches the browser
    });
    await page.goto(`${suite.server.baseUrl}/patients/${id}`);
    await page.getByRole('button', { name: 'Randomize…' }).click();
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and randomize' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/could not be reached/);
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and randomize' }).click();
    const result = page.getByTestId('randomization-result');
    await result.waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await expect(result.textContent()).resolves.toContain(String(firstBody!.randomizationNumber));
    const log = await suite.api.call<Array<{ participantId: string }>>('auditor', 'GET', '/allocation-log');
    expect(log.filter((r) => r.participantId === id)).toHaveLength(1);
  });

  test('pharmacist sees the preparation task and records the dispensation with a lot [BLIND-011]', async () => {
    const patient = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-BR-PH1');
    const page = await as('pharmacist');
    const row = page
      .getByTestId('tasks-period-1')
      .locator('[data-testid="task-row"]')
      .filter({ hasText: patient.treatmentCode });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/MSC|PBO/);
    await screenshot(page, 'pharmacist-tasks');
    await row.getByRole('button', { name: 'Record dispensation…' }).click();
    await page.getByLabel('Lot number').fill('LOT-2024-001');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and record' }).click();
    await page.getByText(/Dispensation recorded/).waitFor();
    await screenshot(page, 'pharmacist-dispensed');
  });

  test('monitor approves an emergency unblinding request and the requester sees the reveal [UNBL-002]', async () => {
    const { id } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-BR-UB1');
    const requester = await as('investigator1');
    await requester.goto(`${suite.server.baseUrl}/patients/${id}`);
    await requester.getByRole('button', { name: 'Request emergency unblinding…' }).click();
    await requester.getByLabel('Reason').fill('Severe adverse event: treating physician needs the allocation.');
    await requester.getByRole('button', { name: 'Continue to signature' }).click();
    await fillSignature(requester, suite.server.password);
    await requester.getByRole('button', { name: 'Sign and send request' }).click();
    await requester.getByText(/Unblinding request sent/).waitFor();

    const monitor = await as('monitor');
    const pending = monitor.locator('[data-testid="request-row"]').filter({ hasText: 'pending' }).first();
    await pending.waitFor();
    await screenshot(monitor, 'monitor-pending');
    await pending.getByRole('button', { name: 'Decide…' }).click();
    await monitor.getByRole('radio', { name: 'Approve', exact: true }).check();
    await monitor.getByLabel('Comment').fill('Emergency confirmed with the treating physician.');
    await monitor.getByRole('button', { name: 'Continue to signature' }).click();
    await fillSignature(monitor, suite.server.password);
    await monitor.getByRole('button', { name: 'Sign decision' }).click();
    await monitor.getByText(/Decision recorded/).waitFor();

    await requester.getByTestId('nav-unblinding-requests').click();
    const mine = requester.locator('[data-testid="request-row"]').filter({ hasText: 'approved' }).first();
    await mine.getByRole('button', { name: 'Reveal allocation' }).click();
    const reveal = requester.getByTestId('reveal');
    await reveal.waitFor();
    await expect(reveal.textContent()).resolves.toMatch(/MSC|PBO|Placebo/);
    await screenshot(requester, 'investigator-reveal');
  });

  test('statistician runs a live simulation of candidate designs in a Web Worker [RAND-015]', async () => {
    const page = await as('statistician');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByTestId('tradeoff-plot').waitFor({ timeout: 60_000 });
    await page.getByTestId('imbalance-histogram').waitFor();
    // Stratified by the protocol's factors: simulated. Without strata, a two-arm 1:1 design has exact figures.
    await expect(page.getByTestId('figures-kind-selected').textContent()).resolves.toMatch(/simulated/);
    await screenshot(page, 'statistician-design');
    await page.getByRole('checkbox', { name: /Stratify as the protocol does/ }).uncheck();
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByTestId('figures-kind-selected').getByText('exact').waitFor({ timeout: 60_000 });
  });
});

describe('main pages after the journeys', () => {
  test.each(MAIN_PAGES)('%s: screenshot of the main page %s with data', async (username, path, heading) => {
    if (username === 'monitor') {
      // One request left pending, so the monitor's start page shows what it is for.
      const { id } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-BR-UB2');
      await suite.api.call('investigator1', 'POST', '/unblinding-requests', {
        participantId: id,
        reason: 'Suspected serious adverse reaction; treatment decision pending.',
        emergency: true,
        signature: { password: suite.server.password },
      });
    }
    const page = await as(username);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    expect(new URL(page.url()).pathname.replace(/^\/s\/[^/]+/, '')).toBe(path); // links carry the study
    await screenshot(page, `main-${username.replace(/\d+$/, '')}`);
  });
});
