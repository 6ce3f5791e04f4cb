/**
 * Sign-in through the hospital's identity provider in Chromium (issue 16 Build 5): the sign-in page
 * offers the provider, the provider's own login page is filled in, a person unknown to blindrand
 * sees that their access awaits approval (on a phone, in French too), and after an admin's signed
 * approval the same login lands on their role's home page. The provider is a real oidc-provider.
 */
import { beforeAll, afterAll, describe, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { freePort } from '../support/ports.js';
import { startOidcProvider, TEST_CLIENT, type OidcTestProvider } from '../support/oidc-provider.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomizedPatient } from './support/api.js';
import { screenshot } from './support/browser.js';
import { ROOT } from './support/server.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const appPort = await freePort();
const idpPort = await freePort();
const publicUrl = `http://127.0.0.1:${appPort}`;
const suite = browserSuite({
  port: appPort,
  env: {
    PUBLIC_URL: publicUrl,
    OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
    OIDC_CLIENT_ID: TEST_CLIENT.id,
    OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    OIDC_ALLOW_INSECURE: '1',
    OIDC_NAME: 'CHU Test',
    OIDC_SCOPES: 'openid profile email groups',
    OIDC_GROUP_ROLES: 'research-monitors=medical_monitor',
  },
});
let idp: OidcTestProvider;
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is (the same rules as phone-a11y.test.ts). */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE}\n;true`);
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string }> };
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<Result> } }).axe;
    const res = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Every rule still runs and every violation is reported in full; only passes and incomplete results,
      // which this check does not read, are not collected node by node (axe-core's documented speed-up).
      resultTypes: ['violations'],
    });
    return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

beforeAll(async () => {
  idp = await startOidcProvider(`${publicUrl}/api/auth/oidc/callback`, idpPort);
  idp.accounts.set('sub-martin', {
    preferred_username: 'dr.martin',
    name: 'Dr Claire Martin',
    email: 'claire.martin@chu.test',
    groups: ['research-monitors'],
  });
});
afterAll(async () => idp?.close());

/** Clicks "Sign in with CHU Test" and fills the provider's own login page. */
async function signInAtProvider(page: Page, login: string, button = 'Sign in with CHU Test'): Promise<void> {
  await page.goto(`${publicUrl}/sign-in`);
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL((u) => u.port === String(idpPort));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await page.locator('button[type="submit"]').click();
}

describe('sign-in through the identity provider in the browser [SSO-001] [SSO-003] [SSO-004]', () => {
  test('an unknown person in a mapped group waits for approval (phone, French), lands on their home page once approved, and signs by a fresh login at the provider', async () => {
    const phone = suite.track(await suite.browser.context.newPage());
    phone.setDefaultTimeout(20_000);
    await phone.setViewportSize({ width: 375, height: 740 });
    await phone.goto(`${publicUrl}/sign-in`);
    await phone.evaluate(() => localStorage.setItem('blindrand.locale', 'fr'));
    await phone.reload();
    await phone.getByRole('button', { name: 'Se connecter avec CHU Test' }).waitFor();
    expect(await axeFindings(phone)).toEqual([]);
    await screenshot(phone, 'oidc-sign-in-phone-fr');
    await signInAtProvider(phone, 'sub-martin', 'Se connecter avec CHU Test');
    await phone
      .getByRole('heading', { name: 'Votre accès attend une approbation' })
      .waitFor()
      .catch(async (err: unknown) => {
        throw new Error(`${String(err)}\nat ${phone.url()}: ${(await phone.textContent('body'))?.slice(0, 500)}`);
      });
    await expect(phone.getByText('Bienvenue, Dr Claire Martin.', { exact: false }).count()).resolves.toBe(1);
    // the one-time code has left the address bar, and the page fits the phone
    expect(new URL(phone.url()).search).toBe('');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axeFindings(phone)).toEqual([]);
    await screenshot(phone, 'oidc-pending-phone-fr');

    const grants = await suite.api.call<Array<{ id: string; username: string }>>(
      'admin',
      'GET',
      '/role-grants?status=pending',
    );
    const grant = grants.find((g) => g.username === 'dr.martin')!;
    await suite.api.call('admin', 'POST', `/role-grants/${grant.id}/decision`, {
      approve: true,
      comment: 'known to the CRO',
      signature: { password: suite.server.password },
    });

    const page = suite.track(await suite.browser.context.newPage());
    page.setDefaultTimeout(20_000);
    await page.goto(`${publicUrl}/sign-in`);
    await page.evaluate(() => localStorage.setItem('blindrand.locale', 'en'));
    await page.reload();
    await page.getByRole('button', { name: 'Sign in with CHU Test' }).click();
    // The provider may still hold the person's session from the phone's tab (same browser): then no login page.
    await page.waitForURL(
      (u) =>
        u.port === String(idpPort) ||
        (u.port === String(appPort) && !u.pathname.startsWith('/oidc') && !u.pathname.startsWith('/sign-in')),
    );
    if (new URL(page.url()).port === String(idpPort)) {
      await page.locator('input[name="login"]').fill('sub-martin');
      await page.locator('input[name="password"]').fill('any-password');
      await page.locator('button[type="submit"]').click();
    }
    await page.getByTestId('user-name').waitFor();
    await expect(page.getByTestId('user-name').textContent()).resolves.toContain('Dr Claire Martin');
    expect(new URL(page.url()).pathname).toMatch(/^\/s\/[^/]+\/unblinding\/requests$/);

    // Her signature: the dialog opens the provider in a window for a fresh login, then signs with its ticket.
    const { id } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-SSO-1');
    await suite.api.call('investigator1', 'POST', '/unblinding-requests', {
      participantId: id,
      reason: 'Planned surgery: the surgical team asks for the allocation.',
      emergency: false,
      signature: { password: suite.server.password },
    });
    await page.reload();
    const pending = page.locator('[data-testid="request-row"]').filter({ hasText: 'pending' }).first();
    await pending.getByRole('button', { name: 'Decide…' }).click();
    await page.getByRole('radio', { name: 'Deny', exact: true }).check();
    await page.getByLabel('Comment').fill('The surgery can proceed without the allocation.');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await expect(page.getByLabel('Your password').count()).resolves.toBe(0);
    const sign = page.getByRole('button', { name: 'Sign decision' });
    expect(await sign.isDisabled()).toBe(true);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Confirm my identity at CHU Test' }).click(),
    ]);
    // prompt=login: the provider asks again although it holds her session
    await popup.locator('input[name="login"]').fill('sub-martin');
    await popup.locator('input[name="password"]').fill('any-password');
    await popup.locator('button[type="submit"]').click();
    await page
      .getByTestId('provider-reauth-done')
      .waitFor()
      .catch(async (err: unknown) => {
        const where = popup.isClosed() ? 'closed' : `${popup.url()}: ${await popup.textContent('body')}`;
        throw new Error(`${String(err)}\npopup ${where}\ndialog: ${await page.getByRole('dialog').textContent()}`);
      });
    await sign.click();
    await page.getByText(/Decision recorded/).waitFor();
  });
});
