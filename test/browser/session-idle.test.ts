/**
 * The session idle warning, with the page's clock faked (playwright's clock): two minutes before the
 * server's idle limit the console warns; "Stay signed in" sends an authenticated GET and the warning
 * goes; left alone, the console signs out and says why. The server's own clock is real throughout.
 */
import { describe, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { screenshot, typeSecondFactor } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(90_000);

const suite = browserSuite();

/** Signs in through the form on a page whose clock is under the test's control. */
async function signInWithFakeClock(username: string): Promise<Page> {
  const page = await suite.browser.context.newPage();
  page.setDefaultTimeout(15_000);
  trackApi(page);
  await page.clock.install();
  await page.goto(`${suite.server.baseUrl}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(suite.server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await typeSecondFactor(page, username);
  await page.getByTestId('user-name').waitFor();
  return page;
}

const inFlight = new WeakMap<Page, Set<unknown>>();
/** Counts the page's /api requests in flight (installed before the page loads). */
function trackApi(page: Page): void {
  const open = new Set<unknown>();
  inFlight.set(page, open);
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) open.add(r);
  });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
}
/** Waits until no /api request has been in flight for 300 ms (real time). */
async function apiQuiet(page: Page): Promise<void> {
  const open = inFlight.get(page)!;
  for (let quietSince = Date.now(); Date.now() - quietSince < 300; await new Promise((r) => setTimeout(r, 50))) {
    if (open.size > 0) quietSince = Date.now();
  }
}

describe('session idle warning [ACC-004]', () => {
  test('warns 2 minutes before the idle limit; "Stay signed in" keeps the session', async () => {
    const page = await signInWithFakeClock('auditor');
    await page.getByTestId('nav-audit-integrity').click();
    await page.getByRole('heading', { level: 1, name: 'Chain verification' }).waitFor();
    await apiQuiet(page); // an answer arriving after the jump would count as activity then
    const warning = page.getByTestId('idle-warning');
    await page.clock.fastForward('27:00');
    await page.waitForTimeout(300);
    await expect(warning.count()).resolves.toBe(0);

    await page.clock.fastForward('01:30'); // 28:30 without a request: 1:30 left
    await warning.waitFor();
    await expect(page.getByTestId('idle-countdown').textContent()).resolves.toMatch(/^1:[23]\d$/);
    await expect(
      page.getByRole('button', { name: 'Stay signed in' }).evaluate((b) => b === document.activeElement),
    ).resolves.toBe(true);
    await screenshot(page, 'session-idle-warning');

    const me = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/auth/me' && r.request().method() === 'GET',
    );
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    expect((await me).status()).toBe(200);
    await warning.waitFor({ state: 'detached' });
    await page.clock.fastForward('20:00');
    await page.waitForTimeout(300);
    await expect(warning.count()).resolves.toBe(0);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Aude Auditor');
    await page.close();
  });

  test('left alone, the console signs out at the idle limit and brings the person back after signing in', async () => {
    const page = await signInWithFakeClock('auditor');
    await page.getByTestId('nav-audit-integrity').click();
    await page.waitForURL((u) => /^\/s\/[^/]+\/audit\/integrity$/.test(u.pathname));
    await apiQuiet(page);
    await page.clock.fastForward('28:30');
    await page.getByTestId('idle-warning').waitFor();
    const logout = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/logout');
    await page.clock.fastForward('01:40');
    await page.waitForURL((u) => u.pathname === '/sign-in');
    expect((await logout).status()).toBeLessThan(300); // the token is revoked on the server too
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(
      /session ended after a period without activity/,
    );
    await page.getByLabel('Username').fill('auditor');
    await page.getByLabel('Password').fill(suite.server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => /^\/s\/[^/]+\/audit\/integrity$/.test(u.pathname));
    await page.close();
  });
});
