/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with a fresh profile
 * per run. Each role gets its own page: sessionStorage (where the console keeps the token) is per tab.
 */
import type * as Playwright from 'playwright-core';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.js';
import { DEMO_TOTP_SECRET } from '../../support/index.js';
import { hostRequire } from '../../support/host-require.js';
import { base32Decode, totpCode } from '../../../server/src/modules/auth/totp.js';

/** Loaded once per Jest process, not once per test file (host-require.ts). */
const { chromium } = hostRequire<typeof Playwright>('playwright-core');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserHandle {
  context: BrowserContext;
  close: () => Promise<void>;
}

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
  context.on('page', watchRequests);
  for (const page of context.pages()) watchRequests(page);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Requests in flight per tab and when the last one started or ended (for settled()). */
const traffic = new WeakMap<Page, { inFlight: number; since: number }>();

function watchRequests(page: Page): void {
  const t = { inFlight: 0, since: Date.now() };
  traffic.set(page, t);
  const end = () => ((t.inFlight = Math.max(0, t.inFlight - 1)), (t.since = Date.now()));
  page.on('request', () => (t.inFlight++, (t.since = Date.now())));
  page.on('requestfinished', end);
  page.on('requestfailed', end);
}

/**
 * Waits until the tab has had no request in flight for `quietMs`, then for one rendered frame: the
 * condition Playwright's 'networkidle' waits for, with a 100 ms quiet window instead of its fixed 500 ms
 * (the console chains its requests within milliseconds of each other's answer).
 */
export async function settled(page: Page, quietMs = 100, timeoutMs = 15_000): Promise<void> {
  const t = traffic.get(page);
  if (!t) throw new Error('settled(): this tab was not opened in a context from launchBrowser()');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && (t.inFlight > 0 || Date.now() - t.since < quietMs))
    await new Promise((r) => setTimeout(r, 20));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined)))).catch(() => undefined);
}

/**
 * Goes to `path` (without the study prefix, as the crawls list them) from the navigation, as a person does: a click on
 * its link (opening the phone's folded menu first), which the console's router handles without reloading the app.
 * A crawl of every page this way loads the console once per role instead of once per page (each full load costs
 * Chromium the app's scripts again, and a crawl that runs axe-core the injection of axe again). A path the navigation
 * does not offer (a patient's page) is loaded by address.
 */
export async function openFromNavigation(page: Page, baseUrl: string, path: string): Promise<void> {
  const here = (u: URL) => u.pathname.replace(/^\/s\/[^/]+/, '') === path;
  if (here(new URL(page.url()))) return; // already there (a click would only open the phone's menu)
  const link = page.locator(`nav a[data-testid^="nav-"][href$="${path}"]`).first();
  if ((await link.count()) === 0) {
    await page.goto(`${baseUrl}${path}`);
    return;
  }
  if (!(await link.isVisible())) await page.getByTestId('menu-button').click();
  await link.click();
  await page.waitForURL(here);
}

/** Opens a new tab and signs in through the form, as a person would. */
export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  username: string,
  password: string,
  before?: (page: Page) => void,
): Promise<Page> {
  const page = await context.newPage();
  before?.(page);
  page.setDefaultTimeout(15_000);
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await typeSecondFactor(page, username);
  await page.getByTestId('user-name').waitFor();
  return page;
}

/** The learned secrets of accounts enrolled through the console (test-created users); demo accounts use DEMO_TOTP_SECRET. */
const learnedSecrets = new Map<string, Buffer>();
/** Whose session each page holds (for the code its signatures need). */
const pageUser = new WeakMap<Page, string>();

const codeOf = (username: string) =>
  totpCode(learnedSecrets.get(username) ?? base32Decode(DEMO_TOTP_SECRET), Date.now());

/**
 * After "Sign in": types the authenticator code when the form asks for it (an account with a second
 * factor), and sets the second factor up on the enrolment page for an account that needs one.
 */
export async function typeSecondFactor(page: Page, username: string): Promise<void> {
  pageUser.set(page, username);
  const code = page.locator('input[name="totp"]');
  await Promise.race([page.waitForURL((u) => !u.pathname.startsWith('/sign-in')), code.waitFor()]);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) {
    await code.fill(codeOf(username));
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  }
  if (new URL(page.url()).pathname.startsWith('/second-factor')) {
    await page.locator('main button.btn-primary').click();
    const secret = (await page.getByTestId('enrol-secret').textContent())!.trim();
    learnedSecrets.set(username, base32Decode(secret));
    await page.locator('input[name="totp"]').fill(codeOf(username));
    await page.locator('form button[type="submit"]').click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.locator('main button.btn-primary').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/second-factor'));
  }
}

/** Fills the signature dialog: the password, and the code when the dialog asks for it (first signature of a session). */
export async function fillSignature(page: Page, password: string): Promise<void> {
  await page.locator('input[name="signature-password"]').fill(password);
  const code = page.locator('input[name="signature-totp"]');
  if (!(await code.isVisible())) return;
  // The dialog can stop asking for the code while this runs: after an answer lost in transit the server did sign,
  // and the console then hides the field (a signature in this session already carried a code). A field that went
  // away is not an error here; a missing code the server needed fails the signature itself, in the test.
  await code.fill(codeOf(pageUser.get(page) ?? 'admin'), { timeout: 5000 }).catch(async (err) => {
    if (await code.isVisible()) throw err;
  });
}

/** The current code of an account (demo secret, or the one it enrolled through the console). */
export const totpFor = (username: string) => codeOf(username);

/** Saves a screenshot into test-output/screenshots/ and docs/screenshots/ (for the user guide). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await settled(page);
  // Taken once, the same bytes written to both places (a full-page capture costs Chromium a re-layout and an encode).
  const png = await page.screenshot({ fullPage: true });
  for (const dir of [join(ROOT, 'test-output', 'screenshots'), join(ROOT, 'docs', 'screenshots')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.png`), png);
  }
}

/** Records the body of every /api response a page receives (for the blinded scan); see responsesRead(). */
export function recordApiResponses(page: Page): Array<{ url: string; body: string }> {
  const seen: Array<{ url: string; body: string }> = [];
  const reads: Array<Promise<void>> = [];
  bodyReads.set(seen, reads);
  page.on('response', (res: Response) => {
    if (!new URL(res.url()).pathname.startsWith('/api/')) return;
    reads.push(
      res.text().then(
        (body) => void seen.push({ url: res.url(), body }),
        () => undefined, // body unavailable (redirect, aborted)
      ),
    );
  });
  return seen;
}
const bodyReads = new WeakMap<object, Array<Promise<void>>>();

/** Waits until every body recordApiResponses() started reading is in `seen` (instead of a fixed sleep). */
export async function responsesRead(seen: Array<{ url: string; body: string }>): Promise<void> {
  const reads = bodyReads.get(seen) ?? [];
  for (let done = 0; done < reads.length; done = reads.length) await Promise.all(reads.slice(done));
}
