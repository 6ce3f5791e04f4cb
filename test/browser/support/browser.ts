/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with a fresh profile
 * per run. Each role gets its own page: sessionStorage (where the console keeps the token) is per tab.
 */
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface BrowserHandle { context: BrowserContext; close: () => Promise<void> }

export async function launchBrowser(): Promise<BrowserHandle> {
  const profile = mkdtempSync(join(tmpdir(), 'blindrand-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1360, height: 860 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a new tab and signs in through the form, as a person would. */
export async function signIn(context: BrowserContext, baseUrl: string, username: string, password: string, before?: (page: Page) => void): Promise<Page> {
  const page = await context.newPage();
  before?.(page);
  page.setDefaultTimeout(15_000);
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.getByTestId('user-name').waitFor();
  return page;
}

/** Saves a screenshot into test-output/screenshots/ and docs/screenshots/ (for the user guide). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  for (const dir of [join(ROOT, 'test-output', 'screenshots'), join(ROOT, 'docs', 'screenshots')]) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }
}

/** Records the body of every /api response a page receives (for the blinded scan). */
export function recordApiResponses(page: Page): Array<{ url: string; body: string }> {
  const seen: Array<{ url: string; body: string }> = [];
  page.on('response', async (res: Response) => {
    if (!new URL(res.url()).pathname.startsWith('/api/')) return;
    try {
      seen.push({ url: res.url(), body: await res.text() });
    } catch {
      /* body unavailable (redirect, aborted) */
    }
  });
  return seen;
}
