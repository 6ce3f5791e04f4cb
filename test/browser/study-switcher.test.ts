/**
 * The study switcher (docs/MULTI-STUDY.md decision 9) with two studies in one instance: the medical
 * monitor of the first study is an auditor in the second. Switching changes the role shown and the pages
 * offered; the study is in the link (/s/CODE/...) and remembered on the server, so a reload, a link
 * without a study and a fresh browser profile open it again. On a phone in French, by keyboard, axe clean.
 * The second study and its role are written with the raw database (as test/api/study-routes.test.ts does).
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AppConfig } from '../../server/src/config/config.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { launchBrowser, screenshot, settled, signIn } from './support/browser.js';
import { ROOT } from './support/server.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(180_000);

const suite = browserSuite();
const PHONE = { width: 375, height: 812 };
const SECOND = { id: 2, code: 'SECOND-2', title: 'Another trial of the hospital' };
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical findings (the same rules as phone-a11y.test.ts). */
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

const path = (page: Page) => new URL(page.url()).pathname;
const navIds = (page: Page) =>
  page.locator('nav.sidenav a[data-testid^="nav-"]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')));

describe('the study switcher', () => {
  let raw: RawDb;
  let first: string;
  beforeAll(async () => {
    raw = await openRawDb({ database: { dialect: 'sqlite', path: suite.server.databasePath } } as AppConfig);
    first = (await suite.api.call<{ code: string }>('auditor', 'GET', '/study')).code;
    // The second study: the first one's protocol under another code and title (arm words kept out of both).
    const [{ protocol_yaml: firstYaml }] = await raw.all(`SELECT protocol_yaml FROM study WHERE id = 1`);
    const yaml = String(firstYaml)
      .replace(/^ {2}code: .*$/m, `  code: ${SECOND.code}`)
      .replace(/^ {2}title: .*$/m, `  title: ${SECOND.title}`);
    const own: Record<string, unknown> = {
      id: SECOND.id,
      code: SECOND.code,
      title: SECOND.title,
      protocol_yaml: yaml,
      protocol_sha256: createHash('sha256').update(yaml).digest('hex'),
    };
    const [row] = await raw.all(`SELECT * FROM study WHERE id = 1`);
    const columns = Object.keys(row);
    const params = columns.filter((c) => c in own).map((c) => own[c]);
    const values = columns.map((c) => (c in own ? '?' : c));
    await raw.run(
      `INSERT INTO study (${columns.join(', ')}) SELECT ${values.join(', ')} FROM study WHERE id = 1`,
      params,
    );
    await raw.run(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
       SELECT 'switcher-monitor', ${SECOND.id}, id, 'auditor', '[]', 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = 'monitor'`,
    );
  });
  afterAll(async () => {
    await raw?.close();
  });

  test('[MS-008] switch study: the role, the navigation and the link follow; reload, a link without a study and a fresh browser open the remembered one', async () => {
    const page = await suite.as('monitor');
    // Nothing remembered yet: the first study, at the medical monitor's page.
    expect(path(page)).toBe(`/s/${first}/unblinding/requests`);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Medical monitor');
    const switcher = page.getByLabel('Study', { exact: true });
    const options = await switcher.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(new RegExp(`^${first} — .+ · Medical monitor · \\S+`));
    expect(options[1]).toBe(`${SECOND.code} — ${SECOND.title} · Auditor · ${options[1].split(' · ').at(-1)}`);
    expect(await navIds(page)).toContain('nav-inadvertent-report');
    expect(await navIds(page)).not.toContain('nav-audit');

    // An auditor reads the unblinding requests too: the same page, in the second study, with the auditor's navigation.
    await switcher.selectOption(SECOND.code);
    await page.waitForURL((u) => u.pathname === `/s/${SECOND.code}/unblinding/requests`);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Auditor');
    expect(await navIds(page)).toContain('nav-audit');
    expect(await navIds(page)).not.toContain('nav-inadvertent-report');

    // Back in the first study, a page only the monitor has: the second study then opens at the auditor's home.
    await switcher.selectOption(first);
    await page.waitForURL((u) => u.pathname === `/s/${first}/unblinding/requests`);
    await page.getByTestId('nav-inadvertent-report').click();
    await page.waitForURL((u) => u.pathname === `/s/${first}/unblinding/inadvertent/new`);
    await settled(page);
    const calls: string[] = [];
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/api/')) calls.push(p);
    });
    await switcher.selectOption(SECOND.code);
    await page.waitForURL((u) => u.pathname === `/s/${SECOND.code}/audit`);
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Auditor');
    await page.getByTestId('study-status').waitFor();
    // Every study call of the page went to the second study's routes; the rest are instance calls.
    await settled(page);
    expect(calls).toContain(`/api/studies/${SECOND.code}/study`); // the header's study
    expect(calls.filter((p) => !p.startsWith(`/api/studies/${SECOND.code}/`) && !/^\/api\/auth\//.test(p))).toEqual([]);
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'study-switcher-second');
    const me = await suite.api.call<{ lastStudyCode: string }>('monitor', 'GET', '/auth/me');
    expect(me.lastStudyCode).toBe(SECOND.code);

    // Reload: the same study; a link without a study: the remembered one.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    expect(path(page)).toBe(`/s/${SECOND.code}/audit`);
    await page.goto(`${suite.server.baseUrl}/audit/integrity`);
    await page.waitForURL((u) => u.pathname === `/s/${SECOND.code}/audit/integrity`);

    // A fresh browser profile signs in straight into the remembered study.
    const fresh = await launchBrowser();
    try {
      const other = await signIn(fresh.context, suite.server.baseUrl, 'monitor', suite.server.password);
      await other.waitForURL((u) => u.pathname === `/s/${SECOND.code}/audit`);
      await expect(other.getByTestId('user-role').textContent()).resolves.toBe('Auditor');
    } finally {
      await fresh.close();
    }

    // A deep link into the other study works, with the role there; it becomes the remembered one.
    await page.goto(`${suite.server.baseUrl}/s/${first}/unblinding/requests`);
    await page.getByRole('heading', { level: 1, name: 'Unblinding requests' }).waitFor();
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Medical monitor');
    await expect(switcher.inputValue()).resolves.toBe(first);
    expect((await suite.api.call<{ lastStudyCode: string }>('monitor', 'GET', '/auth/me')).lastStudyCode).toBe(first);
  });

  test('[MS-008] a study the person holds no role in is not found; with one study the switcher stays out of the way', async () => {
    const page = await suite.as('investigator1');
    expect(path(page)).toBe(`/s/${first}/patients`);
    await expect(page.getByTestId('study-switcher').count()).resolves.toBe(0);
    await expect(page.getByTestId('study-banner').textContent()).resolves.toContain(first);
    await page.goto(`${suite.server.baseUrl}/s/${SECOND.code}/patients`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(path(page)).toBe(`/s/${SECOND.code}/patients`);
  });

  test('[MS-008] a person with no study is told so; an instance admin is offered the administration', async () => {
    await raw.run(
      `UPDATE study_roles SET revoked_at = '2026-01-02T00:00:00.000Z', revoked_by = 'test'
       WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE username IN ('investigator2', 'admin'))`,
    );
    const nobody = await suite.as('investigator2');
    await nobody.getByTestId('no-study').waitFor();
    expect(path(nobody)).toBe('/no-study');
    await expect(nobody.getByTestId('no-study').textContent()).resolves.toMatch(/no role in any study/);
    await expect(nobody.getByTestId('no-study-admin').count()).resolves.toBe(0);
    const admin = await suite.as('admin');
    await admin.getByTestId('no-study').waitFor();
    await admin.getByTestId('no-study-admin').click();
    await admin.waitForURL((u) => u.pathname === '/admin/users');
    await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(await axeFindings(admin)).toEqual([]);
  });

  test('[MS-008] on a phone in French, by keyboard: the switcher is labelled, fits the screen and switches', async () => {
    await suite.api.call('monitor', 'PATCH', '/auth/me', { locale: 'fr' });
    const page = await suite.as('monitor');
    await page.setViewportSize(PHONE);
    const switcher = page.getByLabel('Étude', { exact: true });
    await expect(switcher.inputValue()).resolves.toBe(first);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Moniteur médical');
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'study-switcher-phone-fr');
    await switcher.focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL((u) => u.pathname === `/s/${SECOND.code}/unblinding/requests`);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Auditeur');
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'study-switcher-phone-fr-second');
  });
});
