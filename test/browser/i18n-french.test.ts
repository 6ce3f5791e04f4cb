/**
 * The console in French (issue 15 item 10), checked against the catalogue, not by eye: every page the
 * navigation offers each role (and a patient's page) is opened with the person's language set to French;
 * the page's visible text and its aria-label, title and placeholder attributes must not contain an English
 * catalogue sentence that differs from its French one, nor a word of the console's English vocabulary.
 * Data (names, protocol texts, codes) is whatever it is; only the console's own words are checked.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { NAMESPACES } from '../../shared/i18n/messages/index.js';
import { eligiblePatient, randomizedPatient } from './support/api.js';
import { openFromNavigation, screenshot, settled, typeSecondFactor } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(240_000);

const suite = browserSuite();
const ROLES = ['admin', 'investigator1', 'pharmacist', 'monitor', 'statistician', 'randstat', 'auditor'];
let patientId: string;
let eligibleId: string;

/**
 * English catalogue texts whose French differs: what must never show on a French page. A one-word text
 * ("Status") counts only as a whole text node or attribute (data says "Investigator" in names); a longer text
 * counts anywhere; of a template, the fixed pieces of three words or more between its placeholders.
 */
const ENGLISH_WHOLE = new Set<string>();
const ENGLISH_PIECES = new Set<string>();
for (const ns of Object.values(NAMESPACES)) {
  for (const [key, en] of Object.entries(ns.en)) {
    if (ns.fr[key] === en) continue;
    const pieces = en
      .split(/\{\w+\}/)
      .map((p) => p.trim().replace(/^[\s.,:;—–()“”"'-]+|[\s.,:;—–()“”"'-]+$/g, ''))
      .filter((p) => /[a-z]{2}/i.test(p));
    if (pieces.length === 1 && pieces[0] === en.replace(/[.…:]+$/, '') && !/\s/.test(pieces[0]))
      ENGLISH_WHOLE.add(pieces[0]);
    else for (const p of pieces) if (p.split(/\s+/).length >= 3) ENGLISH_PIECES.add(p);
  }
}

/** Words of the console's English that no French page should show (whole words, case-sensitive). */
const ENGLISH_WORDS = [
  'Loading',
  'Cancel',
  'Sign out',
  'Download',
  'Previous',
  'Retry',
  'Search',
  'Users',
  'Reason',
  'awaiting approval',
  'Register',
  'Verify',
  'Show list',
  'Requested',
  'Decision',
  'Randomized',
  'Treatment code',
  'Screening',
];

/** Each word as a whole-word pattern, compiled once (not once per text node of every page). */
const ENGLISH_WORD_PATTERNS = ENGLISH_WORDS.map((w) => [w, new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u')] as const);

interface Found {
  where: string;
  text: string;
}

/** The visible text nodes and the aria-label / title / placeholder values of the page, minus data marked as such. */
async function pageTexts(page: Page): Promise<Found[]> {
  return page.evaluate(() => {
    const skip = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        const tag = e.tagName.toLowerCase();
        // Code, hashes and JSON are data; lang="en" marks English on purpose (the language menu's "English").
        if (['code', 'pre', 'script', 'style', 'time'].includes(tag) || e.getAttribute('lang') === 'en') return true;
        if (e.classList.contains('study-title') || e.classList.contains('fingerprint')) return true;
      }
      return false;
    };
    const found: Array<{ where: string; text: string }> = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      const el = n.parentElement;
      if (!text || skip(el)) continue;
      if (el && el.closest('[hidden]')) continue;
      found.push({ where: el?.tagName.toLowerCase() ?? '#text', text });
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (skip(el)) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(attr);
        if (v && !/^[0-9a-f]{16,}$/.test(v)) found.push({ where: `${el.tagName.toLowerCase()}[${attr}]`, text: v });
      }
    }
    found.push({ where: 'document.title', text: document.title });
    return found;
  });
}

/** The English that a French page shows: catalogue sentences and vocabulary words. */
function englishIn(found: Found[]): string[] {
  const bad: string[] = [];
  for (const f of found) {
    const bare = f.text.replace(/[.…:]+$/, '');
    if (ENGLISH_WHOLE.has(bare)) bad.push(`${f.where}: "${f.text}" is English`);
    for (const en of ENGLISH_PIECES) if (f.text.includes(en)) bad.push(`${f.where}: "${f.text}" contains "${en}"`);
    for (const [w, re] of ENGLISH_WORD_PATTERNS)
      if (re.test(f.text)) bad.push(`${f.where}: "${f.text}" has the word "${w}"`);
  }
  return [...new Set(bad)];
}

/** The language this browser uses before sign-in (kept in localStorage): English, as the shared sign-in helper expects. */
async function deviceLanguage(l: 'en' | 'fr'): Promise<void> {
  const page = await suite.browser.context.newPage();
  await page.goto(`${suite.server.baseUrl}/sign-in`);
  await page.evaluate((v) => localStorage.setItem('blindrand.locale', v), l);
  await page.close();
}

async function settle(page: Page): Promise<void> {
  await settled(page);
  await page.locator('main h1').first().waitFor({ timeout: 15_000 });
  await page
    .locator('.spinner')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

beforeAll(async () => {
  // Everyone's own language is French, as at the Toulouse site: the console takes it at sign-in, and the
  // notifications below are written in it (an inbox keeps each message in the language it was sent in).
  for (const u of ROLES) await suite.api.call(u, 'PATCH', '/auth/me', { locale: 'fr' });
  patientId = (await randomizedPatient(suite.api, 'investigator1', 'A', 'A-FR-001')).id;
  eligibleId = await eligiblePatient(suite.api, 'investigator1', 'A', 'A-FR-002');
  await suite.api.call('pharmacist', 'POST', '/pharmacy/dispensations', {
    participantId: patientId,
    period: 1,
    lotNumber: 'LOT-FR-1',
    signature: { password: suite.server.password },
  });
  await suite.api.call('investigator1', 'POST', '/unblinding-requests', {
    participantId: patientId,
    reason: "Réaction allergique grave ; le médecin traitant a besoin de l'allocation",
    emergency: true,
    signature: { password: suite.server.password },
  });
});

describe('the console in French: every page of every role, checked against the catalogue', () => {
  test('[I18N-001] the catalogue yields English sentences to look for (the check can fail)', () => {
    expect(ENGLISH_WHOLE.size + ENGLISH_PIECES.size).toBeGreaterThan(300);
    expect(englishIn([{ where: 'th', text: 'Status' }])).not.toEqual([]);
    expect(englishIn([{ where: 'p', text: 'Patients of site A.' }])).not.toEqual([]);
    expect(englishIn([{ where: 'p', text: 'Patients du centre A.' }])).toEqual([]);
  });

  for (const username of ROLES) {
    test(`[I18N-001] ${username}: every page in French, no English left`, async () => {
      await deviceLanguage('en');
      const page = await suite.as(username);
      await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('fr');
      const paths = await page
        .locator('nav.sidenav a[data-testid^="nav-"]')
        .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))
        // Links carry the study (/s/CODE/...); the same pages without it open in the current study.
        .then((all) => all.map((p) => p.replace(/^\/s\/[^/]+/, '')));
      expect(paths.length).toBeGreaterThan(0);
      if (paths.includes('/patients')) paths.push(`/patients/${patientId}`, `/patients/${eligibleId}`);
      const problems: string[] = [];
      for (const path of [...new Set(paths)]) {
        await openFromNavigation(page, suite.server.baseUrl, path);
        await settle(page);
        for (const p of englishIn(await pageTexts(page))) problems.push(`${path} — ${p}`);
      }
      expect(problems).toEqual([]);
    });
  }

  test('[I18N-001] the sign-in page switches to French from its language menu, and dialogs are French too', async () => {
    await deviceLanguage('en');
    const page = suite.track(await suite.browser.context.newPage());
    await page.goto(`${suite.server.baseUrl}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByTestId('language-switch').selectOption('fr');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    expect(englishIn(await pageTexts(page))).toEqual([]);
    await screenshot(page, 'fr-sign-in');
    await page.getByLabel('Identifiant').fill('investigator1');
    await page.getByLabel('Mot de passe').fill(suite.server.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await typeSecondFactor(page, 'investigator1');
    await page.waitForURL((u) => /^\/s\/[^/]+\/patients$/.test(u.pathname));
    await settle(page);
    await screenshot(page, 'fr-patients');
    await page.goto(`${suite.server.baseUrl}/patients/${eligibleId}`);
    await settle(page);
    await page.getByRole('button', { name: 'Randomiser…' }).click();
    await page.getByTestId('signature-meaning').waitFor();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(
      /Je confirme que ce patient remplit les critères/,
    );
    expect(englishIn(await pageTexts(page))).toEqual([]);
    await screenshot(page, 'fr-randomize-signature');
    // Back to English from the shell's menu: the profile follows, and the next sign-in is English.
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.getByTestId('language-switch').selectOption('en');
    await page.getByRole('heading', { level: 1, name: /Patient A-FR-002/ }).waitFor();
    await expect(
      suite.api.call<{ locale: string }>('investigator1', 'GET', '/auth/me').then((u) => u.locale),
    ).resolves.toBe('en');
    await suite.api.call('investigator1', 'PATCH', '/auth/me', { locale: 'fr' });
  });
});
