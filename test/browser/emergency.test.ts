/**
 * Emergency unblinding where the patient is (issue 15), walked in Chromium on desktop and on a
 * 390 × 844 phone: from the patient's page and from the notification link, under monitor approval,
 * two-person approval, and escalation to break-the-glass when nobody decides in time; and the
 * patient's emergency card, whose QR code is decoded from the page's pixels.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import * as jsqrModule from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import { protocolWithEscalation } from '../api/fixtures/emergency-protocol.js';
import { randomizedPatient, Api } from './support/api.js';
import { fillSignature, screenshot, signIn } from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';
import { browserSuite } from './support/suite.js';
import { CLI_ENTRY } from '../support/index.js';

jest.setTimeout(120_000);

// jsqr is CommonJS with a default export in its types: take the function whichever way Node hands it over.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR =
  ((jsqrModule as unknown as { default?: { default?: Decode } | Decode }).default as { default?: Decode })?.default ??
  (jsqrModule as unknown as { default: Decode }).default;

const suite = browserSuite(); // the demo protocol: monitor approval, escalation after 30 minutes
const PHONE = { width: 390, height: 844 };
/** The console's poll of a pending request (PatientUnblinding.vue, UnblindingRequestsPage.vue). */
const POLL_MS = 10_000;

// The tabs' clock is Playwright's: it runs in real time, and the tests jump it by a poll interval
// where they wait for the console to poll, instead of waiting ten seconds for each poll.
beforeAll(async () => {
  await suite.browser.context.clock.install();
});

/** Jumps the tabs' clock by one poll until `target` shows (the server's state changes in real time). */
async function afterPolls(page: Page, target: Locator, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await target.first().isVisible())) {
    if (Date.now() > until) throw new Error(`not shown after polling for ${timeoutMs} ms: ${target.toString()}`);
    await page.clock.fastForward(POLL_MS);
    await target
      .first()
      .waitFor({ timeout: 1_000 })
      .catch(() => undefined);
  }
}
const REASON = 'Anaphylaxis in the emergency department: the treating physician needs the allocation.';

async function on(server: RunningServer, username: string, phone = false): Promise<Page> {
  const page = suite.track(await signIn(suite.browser.context, server.baseUrl, username, server.password));
  if (phone) await page.setViewportSize(PHONE);
  return page;
}

/** The investigator asks from the patient's page: the dialog states the contacts and the response time first. */
async function requestFromPatientPage(
  page: Page,
  server: RunningServer,
  patientId: string,
  expectResponse: RegExp | null,
): Promise<void> {
  await page.goto(`${server.baseUrl}/patients/${patientId}`);
  const section = page.getByTestId('patient-unblinding');
  await section.getByText('No unblinding request for this patient.').waitFor();
  await section.getByTestId('request-unblinding').click();
  await expect(page.getByTestId('emergency-contacts').textContent()).resolves.toMatch(/\+33 5 61 00 00 01/);
  if (expectResponse) await expect(page.getByTestId('response-time').textContent()).resolves.toMatch(expectResponse);
  await page.getByLabel('Reason').fill(REASON);
  await page.getByRole('button', { name: 'Continue to signature' }).click();
  await fillSignature(page, server.password);
  await page.getByRole('button', { name: 'Sign and send request' }).click();
  await section.getByTestId('patient-request').first().waitFor();
}

/** The monitor decides from the live queue; the dialog names the requester, the site and the time. */
async function approveFromQueue(
  page: Page,
  server: RunningServer,
  requestId: string,
  requesterName: string,
): Promise<void> {
  const row = page.locator(`[data-testid="request-row"][data-request="${requestId}"]`);
  await afterPolls(page, row); // appears by the poll when the page was already open
  await row.getByRole('button', { name: 'Decide…' }).click();
  await expect(page.getByTestId('decision-requester').textContent()).resolves.toBe(requesterName);
  await expect(page.getByTestId('decision-site').textContent()).resolves.toBe('A');
  await expect(page.getByTestId('decision-time').textContent()).resolves.toMatch(/\d/);
  await page.getByRole('radio', { name: 'Approve', exact: true }).check();
  await page.getByLabel('Comment').fill('Confirmed with the treating physician by phone.');
  await page.getByRole('button', { name: 'Continue to signature' }).click();
  await fillSignature(page, server.password);
  await page.getByRole('button', { name: 'Sign decision' }).click();
  await page.getByText(/Decision recorded/).waitFor();
}

async function revealOnPatientPage(page: Page, label: RegExp): Promise<string> {
  const section = page.getByTestId('patient-unblinding');
  await afterPolls(page, section.getByRole('button', { name: label }));
  await section.getByRole('button', { name: label }).click();
  const reveal = section.getByTestId('reveal');
  await reveal.waitFor();
  const text = (await reveal.textContent()) ?? '';
  expect(text).toMatch(/MSC-PBO|PBO-MSC/);
  return text;
}

const requestOf = async (api: Api, participantId: string) =>
  (await api.call<any[]>('investigator1', 'GET', `/unblinding-requests?participantId=${participantId}`))[0];

describe('monitor approval', () => {
  test("[EMERG-014] desktop, from the patient's page: the open request is shown instead of a second form; after approval the reveal is on the page, and again after reload [UI-015]", async () => {
    const { id } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-EM-001');
    const monitor = await on(suite.server, 'monitor');
    await monitor.goto(`${suite.server.baseUrl}/unblinding/requests`);
    const requester = await on(suite.server, 'investigator1');
    await requestFromPatientPage(
      requester,
      suite.server,
      id,
      /within 30 minutes; otherwise the allocation opens to you automatically/,
    );
    const section = requester.getByTestId('patient-unblinding');
    await section.getByTestId('open-request-notice').waitFor();
    await expect(section.getByTestId('request-unblinding').count()).resolves.toBe(0);
    await expect(section.getByTestId('request-state').textContent()).resolves.toMatch(
      /Waiting for the medical monitor/,
    );
    await screenshot(requester, 'emergency-patient-pending');

    const request = await requestOf(suite.api, id);
    await approveFromQueue(monitor, suite.server, request.id, 'Dr. Ines Investigator (Site A)');
    // No reload on the requester's side: the section polls while the request is pending.
    const first = await revealOnPatientPage(requester, /^Show the allocation$/);
    await screenshot(requester, 'emergency-patient-reveal');
    await requester.reload();
    const again = await revealOnPatientPage(requester, /Show the allocation again/);
    expect(again.replace(/view \d+|Seen.*$/s, '')).toBe(first.replace(/view \d+|Seen.*$/s, ''));
    await expect(section.getByTestId('reveal').textContent()).resolves.toMatch(/view 2/);
    // [UI-015] the request and the monitor's approval each show printed name, time and meaning
    await expect(section.getByTestId('decision-signatures').textContent()).resolves.toMatch(
      /Approved\s*Signed by Dr\. Max Monitor.*I approve this unblinding request/s,
    );
    await expect(section.getByTestId('signature-line').first().textContent()).resolves.toMatch(
      /Signed by Dr\. Ines Investigator \(Site A\).*I request that this patient/s,
    );
  });

  test('[EMERG-015] phone 390 × 844, from the notification links: the monitor opens the request, the requester opens the reveal', async () => {
    const { id } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-EM-002');
    const requester = await on(suite.server, 'investigator1', true);
    await requestFromPatientPage(requester, suite.server, id, /30 minutes/);
    const request = await requestOf(suite.api, id);

    const monitor = await on(suite.server, 'monitor', true);
    await monitor.goto(`${suite.server.baseUrl}/notifications`);
    await monitor
      .getByTestId('inbox')
      .locator('li')
      .filter({ hasText: 'A-EM-002' })
      .first()
      .getByTestId('notification-link')
      .click();
    await monitor.waitForURL(
      (u) => /^\/s\/[^/]+\/unblinding\/requests$/.test(u.pathname) && u.searchParams.get('request') === request.id,
    );
    await approveFromQueue(monitor, suite.server, request.id, 'Dr. Ines Investigator (Site A)');

    await requester.goto(`${suite.server.baseUrl}/notifications`);
    await requester
      .getByTestId('inbox')
      .locator('li')
      .filter({ hasText: /A-EM-002.*approved|approved.*A-EM-002/ })
      .first()
      .getByTestId('notification-link')
      .click();
    await requester.waitForURL(
      (u) => u.pathname.endsWith(`/patients/${id}`) && u.searchParams.get('reveal') === request.id,
    );
    const button = requester.getByTestId('patient-unblinding').getByRole('button', { name: /^Show the allocation$/ });
    await button.waitFor();
    await expect(button.evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await revealOnPatientPage(requester, /^Show the allocation$/);
    const box = await requester.getByTestId('patient-unblinding').getByTestId('reveal').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(requester, 'emergency-phone-reveal');
  });

  test("[EMERG-018] the emergency card renders wallet-size and its QR code decodes to the patient's unblinding page", async () => {
    const { id, treatmentCode } = await randomizedPatient(suite.api, 'investigator1', 'A', 'A-EM-CARD');
    const page = await on(suite.server, 'investigator1');
    await page.goto(`${suite.server.baseUrl}/patients/${id}`);
    await page.getByTestId('card-link').click();
    const card = page.getByTestId('emergency-card');
    await card.waitFor();
    await expect(page.getByTestId('card-screening').textContent()).resolves.toBe('A-EM-CARD');
    await expect(page.getByTestId('card-code').textContent()).resolves.toBe(treatmentCode);
    await expect(card.textContent()).resolves.toContain('+33 5 61 00 00 01');
    await expect(card.textContent()).resolves.not.toMatch(/MSC-PBO|PBO-MSC|Placebo \(/);
    const size = await card.evaluate((el) => ({
      w: el.getBoundingClientRect().width,
      h: el.getBoundingClientRect().height,
      mm: (() => {
        const d = document.createElement('div');
        d.style.width = '100mm';
        document.body.append(d);
        const w = d.getBoundingClientRect().width;
        d.remove();
        return w / 100;
      })(),
    }));
    expect(Math.round(size.w / size.mm)).toBe(86); // 85.6 mm × 54 mm (ID-1)
    expect(Math.round(size.h / size.mm)).toBe(54);
    await page.getByTestId('card-qr').waitFor();
    // Draw the QR image to a canvas in the page, read its pixels, decode them here.
    const pixels = await page.getByTestId('card-qr').evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return { width: data.width, height: data.height, data: Array.from(data.data) };
    });
    const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    const port = new URL(suite.server.baseUrl).port;
    expect(decoded?.data).toBe(`http://localhost:${port}/s/MSCT-MS/patients/${id}#unblinding`);
    await screenshot(page, 'emergency-card');
    // The decoded address opens the patient's unblinding section (the test server answers on 127.0.0.1).
    const url = new URL(decoded!.data);
    await page.goto(`${suite.server.baseUrl}${url.pathname}${url.hash}`);
    await page.getByTestId('patient-unblinding').getByRole('heading', { name: 'Emergency unblinding' }).waitFor();
  });
});

describe('two-person approval and escalation to break-the-glass', () => {
  let twoPerson: RunningServer;
  let escalating: RunningServer;
  let twoApi: Api;
  let escApi: Api;
  const twoProtocol = protocolWithEscalation('break-the-glass', 30, 'two-person');

  beforeAll(async () => {
    // Both servers boot side by side; one that started is kept for afterAll to stop even if the other failed.
    const [two, esc] = await Promise.allSettled([
      startServer({ env: { PROTOCOL_FILE: twoProtocol } }),
      // Six seconds without a decision, checked every half second: escalation within the test.
      startServer({
        env: { PROTOCOL_FILE: protocolWithEscalation('break-the-glass', 0.1), ESCALATION_CHECK_MS: '500' },
      }),
    ]);
    if (two.status === 'fulfilled') twoPerson = two.value;
    if (esc.status === 'fulfilled') escalating = esc.value;
    for (const r of [two, esc]) if (r.status === 'rejected') throw r.reason;
    twoApi = new Api(twoPerson.baseUrl, twoPerson.password);
    escApi = new Api(escalating.baseUrl, escalating.password);
    // A second medical monitor, made as an administrator must: held role approved by a second person, password from a link.
    const created = await twoApi.call<any>('admin', 'POST', '/users', {
      username: 'monitor2',
      displayName: 'Dr. Mona Second-Monitor',
      role: 'medical_monitor',
      siteCodes: [],
      email: 'monitor2@blindrand.local',
    });
    for (const g of created.pendingGrants ?? [])
      await twoApi.call('randstat', 'POST', `/role-grants/${g.id}/decision`, {
        approve: true,
        comment: 'identity checked',
        signature: { password: twoPerson.password },
      });
    // Asynchronously: a blocked event loop would leave the client's keep-alive sockets stale.
    const { stdout: link } = await promisify(execFile)(
      process.execPath,
      [CLI_ENTRY, 'user', 'password-link', '--username', 'monitor2'],
      {
        env: {
          ...process.env,
          DATABASE_PATH: twoPerson.databasePath,
          DATABASE_URL: '',
          PROTOCOL_FILE: twoProtocol,
          SMTP_URL: '',
        },
        encoding: 'utf8',
      },
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec(link)![1];
    // The server may close the client's idle keep-alive socket while the CLI runs; a refused reuse is retried once.
    const setPassword = () =>
      fetch(`${twoPerson.baseUrl}/api/auth/set-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: twoPerson.password }),
      });
    const set = await setPassword().catch(() => setPassword());
    expect(set.status).toBe(204);
  });
  afterAll(async () => {
    await twoPerson?.stop();
    await escalating?.stop();
  });

  test.each([
    ['desktop', false],
    ['phone', true],
  ] as const)(
    "[EMERG-016] two-person (%s): the patient's page counts approvals; the reveal opens after the second, different monitor",
    async (_label, phone) => {
      const { id } = await randomizedPatient(twoApi, 'investigator1', 'A', `A-EM-2P-${phone ? 'P' : 'D'}`);
      const requester = await on(twoPerson, 'investigator1', phone);
      await requestFromPatientPage(requester, twoPerson, id, null);
      const request = (await twoApi.call<any[]>('investigator1', 'GET', `/unblinding-requests?participantId=${id}`))[0];
      const first = await on(twoPerson, 'monitor', phone);
      await first.goto(`${twoPerson.baseUrl}/unblinding/requests?request=${request.id}`);
      await approveFromQueue(first, twoPerson, request.id, 'Dr. Ines Investigator (Site A)');
      await afterPolls(requester, requester.getByTestId('patient-unblinding').getByText('1 of 2'));
      await expect(
        requester
          .getByTestId('patient-unblinding')
          .getByRole('button', { name: /Show the allocation/ })
          .count(),
      ).resolves.toBe(0);
      const second = await on(twoPerson, 'monitor2', phone);
      await second.goto(`${twoPerson.baseUrl}/unblinding/requests?request=${request.id}`);
      await approveFromQueue(second, twoPerson, request.id, 'Dr. Ines Investigator (Site A)');
      await revealOnPatientPage(requester, /^Show the allocation$/);
    },
  );

  test.each([
    ['desktop', false],
    ['phone', true],
  ] as const)(
    "[EMERG-017] escalation (%s): nobody decides, the server opens the reveal (break-the-glass) on the patient's page and the monitor sees it escalated",
    async (_label, phone) => {
      const { id } = await randomizedPatient(escApi, 'investigator1', 'A', `A-EM-ESC-${phone ? 'P' : 'D'}`);
      const requester = await on(escalating, 'investigator1', phone);
      await requestFromPatientPage(
        requester,
        escalating,
        id,
        /within 0[.,]1 minutes; otherwise the allocation opens to you automatically/,
      );
      const section = requester.getByTestId('patient-unblinding');
      await expect(section.textContent()).resolves.toMatch(
        /the allocation opens to you automatically \(break-the-glass\) at/,
      );
      await afterPolls(
        requester,
        section.getByTestId('request-state').filter({ hasText: 'Escalated to break-the-glass' }),
      );
      await revealOnPatientPage(requester, /^Show the allocation$/);
      if (phone) await screenshot(requester, 'emergency-phone-escalated');
      const monitor = await on(escalating, 'monitor', phone);
      await monitor.goto(`${escalating.baseUrl}/notifications`);
      await monitor
        .getByTestId('inbox')
        .locator('li')
        .filter({ hasText: new RegExp(`A-EM-ESC-${phone ? 'P' : 'D'}.*escalated to break-the-glass`) })
        .first()
        .getByTestId('notification-link')
        .click();
      const request = (await escApi.call<any[]>('investigator1', 'GET', `/unblinding-requests?participantId=${id}`))[0];
      const row = monitor.locator(`[data-testid="request-row"][data-request="${request.id}"]`);
      await expect(row.textContent()).resolves.toMatch(/escalated/);
      await expect(row.getByRole('button', { name: 'Review…' }).count()).resolves.toBe(1);
    },
  );
});
