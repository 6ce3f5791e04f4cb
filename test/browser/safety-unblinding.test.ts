/**
 * [SAFE-001] by clicking: an investigator signs a safety unblinding in the console and sees only the neutral
 * confirmation; the designated address receives the arm over a real SMTP exchange; the page never shows it to the
 * investigator or the monitor. Own server: its protocol designates an e-mail recipient.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomizedPatient } from './support/api.js';
import { fillSignature } from './support/browser.js';
import { browserSuite } from './support/suite.js';
import { protocolWithSafetyRecipient } from '../api/fixtures/safety-protocol.js';
import { SmtpSink } from '../api/fixtures/smtp-sink.js';
import { waitFor } from '../api/fixtures/unblinding-helpers.js';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';

jest.setTimeout(120_000);

const ADDRESS = 'vigilance@chu-toulouse.fr';
const smtp = new SmtpSink();
const vocabulary = blindedVocabulary(demoProtocol());
// The server starts in the suite's beforeAll, after this file's top level: the sink must listen first.
const env: Record<string, string> = {
  PROTOCOL_FILE: protocolWithSafetyRecipient({ email: ADDRESS }),
  MAIL_POLL_MS: '200',
  MAIL_RETRY_BASE_MS: '200',
};
beforeAll(async () => {
  await smtp.start();
  env.SMTP_URL = smtp.url;
});
const suite = browserSuite({ env });
afterAll(async () => smtp.stop());

beforeAll(async () => {
  await randomizedPatient(suite.api, 'investigator1', 'A', 'A-SUSAR-1');
});

describe('safety unblinding page', () => {
  test('[SAFE-001] the investigator signs a safety unblinding and sees only the neutral confirmation; the arm goes to the designated address', async () => {
    const page = await suite.as('investigator1');
    await page.getByTestId('nav-safety-unblindings').click();
    await page.getByTestId('safety-form').waitFor();
    await page.getByLabel('Patient').selectOption({
      label: (await page.locator('select[name=participantId] option', { hasText: 'A-SUSAR-1' }).textContent())!,
    });
    await page.getByLabel('Safety reason').fill('Suspected unexpected serious adverse reaction: acute hepatitis');
    await page.getByLabel('Safety report reference (optional)').fill('FR-CHU-2026-0042');
    await page.getByRole('button', { name: 'Sign and send…' }).click();
    await expect(page.getByTestId('signature-meaning').textContent()).resolves.toMatch(
      /designated safety recipient only/,
    );
    await fillSignature(page, suite.server.password);
    await page.getByRole('button', { name: 'Sign and send', exact: true }).click();
    await page
      .getByText(/has been delivered to the designated recipient/)
      .first()
      .waitFor();
    await page.getByTestId('safety-row').first().waitFor();
    const shown = (await page.locator('main').textContent()) ?? '';
    expect(shown).toContain('A-SUSAR-1');
    expect(shown).toContain(ADDRESS);
    expect(leakHits(shown, vocabulary)).toEqual([]);

    const [mail] = await waitFor(
      'the e-mail to the designated address',
      async () => smtp.to(ADDRESS).length === 1 && smtp.to(ADDRESS),
    );
    expect(mail.text).toContain('A-SUSAR-1');
    expect(leakHits(mail.text, vocabulary).length).toBeGreaterThan(0); // the arm is there, and only there

    const monitor = await suite.as('monitor');
    await monitor.getByTestId('nav-safety-unblindings').click();
    await monitor.getByTestId('safety-row').first().waitFor();
    expect(leakHits((await monitor.locator('main').textContent()) ?? '', vocabulary)).toEqual([]);
    await expect(monitor.getByRole('button', { name: 'View allocation' }).count()).resolves.toBe(0);
  });
});
