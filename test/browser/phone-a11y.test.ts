/**
 * Every page of every role at 390 × 844 (a phone held upright): no horizontal scrolling, and axe-core
 * (WCAG 2.2 AA rules) finds no serious or critical violation. One browser, one tab per role, every route
 * that role's navigation offers plus the record pages reached from them (a patient, the sign-in page).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { randomizedPatient, eligiblePatient } from './support/api.js';
import { openFromNavigation, settled } from './support/browser.js';
import { ROOT } from './support/server.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(180_000);

const suite = browserSuite();
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
let patientId = '';
let eligibleId = '';

beforeAll(async () => {
  const { api } = suite;
  const r = await randomizedPatient(api, 'investigator1', 'A', 'S-PH-001');
  patientId = r.id;
  eligibleId = await eligiblePatient(api, 'investigator1', 'A', 'S-PH-002');
  // A pending request, so the monitor's queue and the register have rows to lay out.
  await api.call('investigator1', 'POST', '/unblinding-requests', {
    participantId: patientId,
    reason: 'Anaphylaxis: the treating team needs to know the product',
    emergency: true,
    signature: { password: api.password },
  });
});

interface Finding {
  route: string;
  width: number;
  violations: string[];
}

/** Width of the document and axe's serious/critical violations on the page as it is now. */
async function inspect(page: Page, route: string): Promise<Finding> {
  await settled(page);
  await page.locator('h1').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  // The console's CSP forbids inline scripts (rightly); evaluating through the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE}\n;true`);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const res = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Every rule still runs and every violation is reported in full; only passes and incomplete results,
      // which this check does not read, are not collected node by node (axe-core's documented speed-up).
      resultTypes: ['violations'],
    });
    return res.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  });
  return { route, width, violations };
}

/** The routes this role's navigation offers (read from the links, so a new page is crawled without editing this test). */
async function navRoutes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLAnchorElement>('nav a[data-testid^="nav-"]')].map(
      // Links carry the study (/s/CODE/...); the same pages without it open in the current study.
      (a) => new URL(a.href).pathname.replace(/^\/s\/[^/]+/, ''),
    ),
  );
}

/** A few phone screenshots for the user guide: the first screenful, as a person holding the phone sees it. */
const SCREENSHOTS: Record<string, string> = {
  'investigator1 /patients': 'phone-investigator-patients',
  'investigator1 /patients/:id': 'phone-investigator-patient',
  'monitor /unblinding/requests': 'phone-monitor-requests',
  'pharmacist /pharmacy/tasks': 'phone-pharmacist-tasks',
  'auditor /audit': 'phone-auditor-audit',
};
async function phoneScreenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot();
  for (const dir of [join(ROOT, 'test-output', 'screenshots'), join(ROOT, 'docs', 'screenshots')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.png`), png);
  }
}

const ROLES = ['admin', 'investigator1', 'pharmacist', 'monitor', 'statistician', 'randstat', 'auditor'];

describe('[UI-001] every page of every role at 390 × 844: no horizontal scrolling; [UI-002] axe-core: 0 serious, 0 critical', () => {
  test('signed out: the sign-in page', async () => {
    const page = suite.track(await suite.browser.context.newPage());
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.baseUrl}/sign-in`);
    const f = await inspect(page, '/sign-in');
    expect(f.width).toBeLessThanOrEqual(PHONE.width);
    expect(f.violations).toEqual([]);
  });

  test.each(ROLES)('%s', async (username) => {
    const page = await suite.as(username);
    await page.setViewportSize(PHONE);
    const routes = await navRoutes(page);
    expect(routes.length).toBeGreaterThan(0);
    if (username === 'investigator1') routes.push(`/patients/${patientId}`, `/patients/${eligibleId}`);
    if (username === 'pharmacist' || username === 'monitor') routes.push(`/patients/${patientId}`);
    const findings: Finding[] = [];
    for (const route of routes) {
      await openFromNavigation(page, suite.server.baseUrl, route);
      findings.push(await inspect(page, route));
      const shot = SCREENSHOTS[`${username} ${route.startsWith('/patients/') ? '/patients/:id' : route}`];
      if (shot) await phoneScreenshot(page, shot);
    }
    const tooWide = findings.filter((f) => f.width > PHONE.width).map((f) => `${f.route}: ${f.width}px`);
    const inaccessible = findings
      .filter((f) => f.violations.length)
      .map((f) => `${f.route}: ${f.violations.join('; ')}`);
    expect({ tooWide, inaccessible }).toEqual({ tooWide: [], inaccessible: [] });
  });
});

describe('[UI-003] the shell on a phone', () => {
  test('the study banner wraps on the dark bar (fingerprint inside the screen) and the navigation folds behind a menu button', async () => {
    const page = await suite.as('investigator1');
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.baseUrl}/patients`);
    await page.locator('h1').first().waitFor();
    const fp = await page.getByTestId('study-fingerprint').boundingBox();
    const bar = await page.locator('header.topbar').boundingBox();
    expect(fp!.x + fp!.width).toBeLessThanOrEqual(PHONE.width);
    // on the bar, not below it on the white page (where white text was invisible)
    expect(fp!.y + fp!.height).toBeLessThanOrEqual(bar!.y + bar!.height);
    // the navigation no longer takes a screenful above the page: the heading is in the first half of the screen
    const h1 = await page.locator('h1').first().boundingBox();
    expect(h1!.y).toBeLessThan(PHONE.height / 2);
    await expect(page.getByTestId('nav-patient-new').isVisible()).resolves.toBe(false);
    const menu = page.getByTestId('menu-button');
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await menu.click();
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.getByTestId('nav-patient-new').click();
    await page.waitForURL('**/patients/new');
    // following a link folds the menu again
    await expect(page.getByTestId('nav-patient-new').isVisible()).resolves.toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
