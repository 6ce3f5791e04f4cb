/**
 * Blinded-DOM scan: for each blinded role, open every page its navigation offers (and a patient's
 * page), then search the rendered text and every API response the page received for the arm codes,
 * arm labels, product codes and labels of the protocol file, and for arm/sequence/product fields.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomizedPatient } from './support/api.js';
import { recordApiResponses, responsesRead, settled, signIn } from './support/browser.js';
import { findLeaks, forbiddenTerms } from './support/protocol.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

const suite = browserSuite();
let patientId: string;
const TERMS = forbiddenTerms();

beforeAll(async () => {
  // Data that arm-bearing records exist for: randomized patients, a dispensation, an unblinding request.
  patientId = (await randomizedPatient(suite.api, 'investigator1', 'A', 'A-SCAN-1')).id;
  const second = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-SCAN-2');
  await suite.api.call('pharmacist', 'POST', '/pharmacy/dispensations', {
    participantId: second.id,
    period: 1,
    lotNumber: 'LOT-SCAN-1',
    signature: { password: suite.server.password },
  });
  try {
    await suite.api.call('investigator1', 'POST', '/unblinding-requests', {
      participantId: second.id,
      reason: 'Scan test: pending request',
      emergency: true,
      signature: { password: suite.server.password },
    });
  } catch {
    /* the unblinding endpoints may not exist yet; the scan still covers everything else */
  }
});

const BLINDED: Array<[string, string]> = [
  ['investigator', 'investigator1'],
  ['medical_monitor', 'monitor'],
  ['auditor', 'auditor'],
  ['admin', 'admin'],
  // the trial statistician, while the study runs (blinded until end-of-study unblinding)
  ['statistician', 'statistician'],
];

describe('blinded roles never see an arm, sequence or product [BLIND-002]', () => {
  test('the terms come from the protocol file', () => {
    expect(TERMS).toEqual(expect.arrayContaining(['MSC-PBO', 'PBO-MSC', 'MSC', 'PBO']));
  });

  test.each(BLINDED)('%s: every page and every API response is free of arm information', async (_role, username) => {
    let responses: Array<{ url: string; body: string }> = [];
    const page = await signIn(
      suite.browser.context,
      suite.server.baseUrl,
      username,
      suite.server.password,
      (p) => (responses = recordApiResponses(p)),
    );
    const leaks: string[] = [];
    const scanPage = async (label: string) => {
      await settled(page);
      const text = await page.evaluate(() => document.body.innerText);
      for (const t of findLeaks(text, TERMS)) leaks.push(`${label} (rendered): ${t}`);
    };
    const links = await page
      .locator('nav[aria-label="Main"] a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(links.length).toBeGreaterThan(0);
    for (const path of links) {
      await page.locator(`nav[aria-label="Main"] a[href="${path}"]`).click();
      await page.waitForURL((u) => u.pathname === path);
      await scanPage(path);
    }
    const canSeePatients = links.some((l) => /^\/s\/[^/]+\/patients$/.test(l));
    if (canSeePatients) {
      await page.goto(`${suite.server.baseUrl}/patients/${patientId}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await scanPage('/patients/:id');
    }
    await settled(page);
    await responsesRead(responses);
    for (const r of responses)
      for (const t of findLeaks(r.body, TERMS)) leaks.push(`${new URL(r.url).pathname} (API): ${t}`);
    expect(responses.length).toBeGreaterThan(links.length);
    expect(leaks).toEqual([]);
    await page.close();
  });

  test('the scan can fail: the randomization statistician does see arms on the allocation list and log', async () => {
    let responses: Array<{ url: string; body: string }> = [];
    const page = await signIn(
      suite.browser.context,
      suite.server.baseUrl,
      'randstat',
      suite.server.password,
      (p) => (responses = recordApiResponses(p)),
    );
    await page.goto(`${suite.server.baseUrl}/allocation-log`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await settled(page);
    await responsesRead(responses);
    const text = await page.evaluate(() => document.body.innerText);
    expect(findLeaks(text, TERMS).length).toBeGreaterThan(0);
    expect(responses.some((r) => findLeaks(r.body, TERMS).length > 0)).toBe(true);
    await page.close();
  });

  test('the scan can fail: an unblinded role (pharmacist) does receive arm information', async () => {
    let responses: Array<{ url: string; body: string }> = [];
    const page = await signIn(
      suite.browser.context,
      suite.server.baseUrl,
      'pharmacist',
      suite.server.password,
      (p) => (responses = recordApiResponses(p)),
    );
    await page.getByTestId('task-row').first().waitFor();
    const text = await page.evaluate(() => document.body.innerText);
    expect(findLeaks(text, TERMS).length).toBeGreaterThan(0);
    expect(responses.some((r) => findLeaks(r.body, TERMS).length > 0)).toBe(true);
    await page.close();
  });
});
