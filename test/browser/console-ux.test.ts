/**
 * One test per problem of issue 15 "What was found" that the console engineer fixed (each failed on the old
 * console): messages, focus, signatures stated in words, validation before the password, drafts, time.
 * Own server: the last test locks the study.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { eligiblePatient, randomizedPatient } from './support/api.js';
import { fillSignature, totpFor, typeSecondFactor } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite();
let eligibleId = '';
let randomizedId = '';

beforeAll(async () => {
  eligibleId = await eligiblePatient(suite.api, 'investigator1', 'A', 'A-UX-001');
  randomizedId = (await randomizedPatient(suite.api, 'investigator1', 'A', 'A-UX-002')).id;
});

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('messages', () => {
  test('[UI-004] a wrong sign-in password: one sentence, no "session ended", the attempts left, and the focus on it', async () => {
    const page = suite.track(await suite.browser.context.newPage());
    await page.goto(`${suite.server.baseUrl}/sign-in`);
    await page.getByLabel('Username').fill('auditor');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent())!.trim();
    expect(text).toBe(
      'The username or password is not correct. Check it and try again: 4 attempts remain before the account is locked.',
    );
    expect(text).not.toMatch(/session/i);
    await expect(page.getByText(/Your session has ended/).count()).resolves.toBe(0);
    expect(await focusedText(page)).toBe(text);
    // a second failure: the count goes down, the focus is on the new sentence again
    await page.getByLabel('Password').fill('still-not-it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/3 attempts remain/).waitFor();
    expect(await focusedText(page)).toMatch(/3 attempts remain/);
    await page.getByLabel('Password').fill(suite.server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-name').waitFor();
  });
});

describe('signature dialogs', () => {
  test("[UI-005] the randomize dialog states the stratum in the protocol's words and the eligibility result; Tab stays inside; a wrong password is announced with the attempts left and focused", async () => {
    const page = await suite.as('investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/${eligibleId}`);
    const opener = page.getByRole('button', { name: 'Randomize…' });
    await opener.click();
    const dialog = page.getByRole('dialog');
    const text = (await dialog.textContent())!;
    expect(text).toContain('MS course: Relapsing-remitting');
    expect(text).toContain('Baseline EDSS band: EDSS ≤ 5.0');
    expect(text).not.toMatch(/course=|edss=/);
    expect(text).toMatch(/Eligible: all \d+ criteria answered at registration are met\./);
    // focus trap: twenty Tabs and Shift+Tabs never leave the dialog
    for (const key of [...Array(10).fill('Tab'), ...Array(10).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    }
    await fillSignature(page, 'wrong-password');
    await page.getByRole('button', { name: 'Sign and randomize' }).click();
    const error = dialog.getByRole('alert');
    await error.waitFor();
    expect((await error.textContent())!.trim()).toMatch(
      /^The (signature password is|password for your signature was) not correct\. Nothing was changed\. Check it and try again: 4 attempts remain before the account is locked\.$/,
    );
    expect(await focusedText(page)).toMatch(/4 attempts remain/);
    // Escape closes it and the focus returns to the button that opened it
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Randomize…');
  });

  test('[UI-006] a malformed lot number is refused before the password is asked, and the lot typed is kept', async () => {
    const page = await suite.as('pharmacist');
    await page.goto(`${suite.server.baseUrl}/pharmacy/tasks`);
    await page
      .getByRole('button', { name: /Record dispensation/ })
      .first()
      .click();
    const lot = page.getByLabel('Lot number');
    await lot.fill('LOT 14/ä');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await page.getByTestId('lot-error').waitFor();
    await expect(page.getByLabel('Your password').count()).resolves.toBe(0);
    await expect(lot.inputValue()).resolves.toBe('LOT 14/ä');
    // a valid lot with a slash (the old `pattern` was an invalid regular expression in Chromium)
    await lot.fill('MSC-LOT/2026.014');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await page.getByLabel('Your password').waitFor();
  });
});

describe('signed records', () => {
  test('[UI-013] after randomizing, a reload still shows the result on the record with the printed name, meaning and time of the signature', async () => {
    const id = await eligiblePatient(suite.api, 'investigator1', 'A', 'A-UX-003');
    const page = await suite.as('investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/${id}`);
    await page.getByRole('button', { name: 'Randomize…' }).click();
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and randomize' }).click();
    const code = (await page.getByTestId('randomization-result').locator('.big-value').nth(1).textContent())!.trim();
    await page.reload();
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Randomization' }) });
    await card.getByTestId('signature-line').waitFor();
    const text = (await card.textContent())!;
    expect(text).toContain(code);
    expect(text).toContain('Signed by Dr. Ines Investigator (Site A)');
    expect(text).toContain(
      'I confirm that this patient meets the eligibility criteria and I randomize them into the study',
    );
    expect(text).toMatch(/\d{2}:\d{2} UTC\+01:00/);
  });
});

describe('nothing typed is lost', () => {
  test('[UI-007] the screening form survives a reload and an ended session; leaving it half-filled asks first', async () => {
    const page = await suite.as('investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/new`);
    await page.getByLabel('Screening number').fill('A-DRAFT-1');
    await page.getByLabel('EDSS at inclusion').fill('4.5');
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    await expect(page.getByLabel('Screening number').inputValue()).resolves.toBe('A-DRAFT-1');
    await expect(page.getByLabel('EDSS at inclusion').inputValue()).resolves.toBe('4.5');

    // the session ends (token gone): sign in again, come back to the form, the entries are there
    await page.evaluate(() => sessionStorage.removeItem('blindrand.session'));
    await page.reload();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Username').fill('investigator1');
    await page.getByLabel('Password').fill(suite.server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await typeSecondFactor(page, 'investigator1');
    await page.waitForURL(/\/patients\/new/);
    await expect(page.getByLabel('Screening number').inputValue()).resolves.toBe('A-DRAFT-1');

    // leaving asks; dismissing keeps the person on the form
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await page.getByTestId('nav-patients').click();
    await expect(asked).resolves.toMatch(/not saved/);
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toMatch(/^\/s\/[^/]+\/patients\/new$/);
  });
});

describe('nothing typed is lost: the unblinding request', () => {
  test('[UI-014] the reason of an unblinding request survives a reload of the patient page', async () => {
    const page = await suite.as('investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/${randomizedId}`);
    await page.getByTestId('request-unblinding').click();
    const reason = 'Severe hepatotoxicity: the treating team must know the product';
    await page.getByRole('dialog').locator('textarea[name="reason"]').fill(reason);
    await page.waitForTimeout(200);
    page.once('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByTestId('request-unblinding').click();
    await expect(page.getByRole('dialog').locator('textarea[name="reason"]').inputValue()).resolves.toBe(reason);
  });
});

describe('time', () => {
  test('[UI-008] the audit trail shows seconds and the zone beside each time; the date filter takes ISO 8601 and refuses anything else', async () => {
    const page = await suite.as('auditor');
    await page.goto(`${suite.server.baseUrl}/audit`);
    const first = page.getByTestId('audit-table').locator('tbody time').first();
    await first.waitFor();
    // e.g. "29 Nov 2026, 17:04:05 UTC+01:00" (the browser runs in Europe/Berlin)
    await expect(first.textContent()).resolves.toMatch(/\d{2}:\d{2}:\d{2} UTC\+01:00$/);
    const from = page.getByLabel('From (your time)');
    await expect(from.getAttribute('type')).resolves.not.toBe('datetime-local');
    await from.fill('11/29/2026');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByTestId('audit-date-error').textContent()).resolves.toMatch(/yyyy-mm-dd/);
    await from.fill('2000-01-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByTestId('audit-date-error').count()).resolves.toBe(0);
  });
});

describe('co-signature', () => {
  test('[UI-009] a wrong co-signer password is attributed to the second statistician, not to the signer', async () => {
    await suite.api.call('statistician', 'POST', '/study/lock', {
      signature: { password: suite.server.password },
      reason: 'Last patient, last visit',
    });
    const page = await suite.as('statistician');
    await page.goto(`${suite.server.baseUrl}/statistics/study`);
    await page.getByLabel("Second statistician's username").fill('statistician2');
    await page.getByLabel("Second statistician's password").fill('wrong-password');
    await page.getByLabel("Second statistician's authenticator code").fill(totpFor('statistician2'));
    await page.getByRole('button', { name: 'Continue to your signature' }).click();
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and unblind' }).click();
    const error = page.getByRole('dialog').getByRole('alert');
    await error.waitFor();
    const text = (await error.textContent())!;
    expect(text).toMatch(
      /second statistician’s username or password is not correct \(your own password was accepted\)/,
    );
    expect(text).toMatch(/4 attempts remain before their account is locked/);
    expect(text).not.toMatch(/password for your signature was not correct/);
  });
});
