/**
 * Language per user (issue 15 item 10): users.locale and sites.locale (migration 010), the effective locale on
 * sign-in and /auth/me, PATCH /api/auth/me, admin settings, and notifications and e-mails in each
 * recipient's language through a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { translate } from '../../shared/i18n/catalogue.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { demoTotp } from '../support/env.js';
import { signed, waitFor } from './fixtures/unblinding-helpers.js';
import { decodedSubject, decodedText, SmtpSink } from './fixtures/smtp-sink.js';

const MAIL_ENV = { MAIL_POLL_MS: '200', MAIL_RETRY_BASE_MS: '200', MAIL_RETRY_MAX_MS: '1000' };
const mailOf = (user: string) => `${user}@blindrand.local`;

describe("language per user: profile, site default, instance default; notifications and e-mails in the recipient's language", () => {
  const smtp = new SmtpSink();
  let t: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({ SMTP_URL: smtp.url, DEFAULT_LOCALE: 'en', ...MAIL_ENV });
    for (const u of ['admin', 'investigator1', 'investigator2', 'monitor', 'statistician', 'pharmacist'])
      tokens[u] = await t.api.login(u);
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });

  it('[I18N-002] sign-in and /auth/me carry the effective locale: the instance default when neither the user nor the site names one', async () => {
    const login = await t.api.post('/api/auth/login', {
      username: 'investigator2',
      password: 'demo-password-1',
      totp: demoTotp(),
    });
    expect(login.body.user).toMatchObject({ username: 'investigator2', locale: 'en', preferredLocale: null });
    expect((await t.api.get('/api/auth/me', tokens.investigator2)).body).toMatchObject({
      locale: 'en',
      preferredLocale: null,
    });
  });

  it("[I18N-003] a site set to French makes its staff French unless they choose otherwise; the admin sets a site's and a user's language", async () => {
    const site = await t.api.patch('/api/sites/A', { locale: 'fr', reason: 'Toulouse site' }, tokens.admin);
    expect(site.status).toBe(200);
    expect(site.body).toMatchObject({ code: 'A', locale: 'fr' });
    expect((await t.api.get('/api/auth/me', tokens.investigator1)).body).toMatchObject({
      locale: 'fr',
      preferredLocale: null,
    });
    expect((await t.api.get('/api/auth/me', tokens.investigator2)).body.locale).toBe('en'); // site B

    const users = (await t.api.get('/api/users', tokens.admin)).body as Array<{
      id: string;
      username: string;
      preferredLocale: string | null;
    }>;
    const monitor = users.find((u) => u.username === 'monitor')!;
    expect(monitor.preferredLocale).toBeNull();
    const set = await t.api.patch(
      `/api/users/${monitor.id}`,
      { locale: 'fr', reason: 'French-speaking monitor' },
      tokens.admin,
    );
    expect(set.status).toBe(200);
    expect(set.body.preferredLocale).toBe('fr');
    expect((await t.api.get('/api/auth/me', tokens.monitor)).body.locale).toBe('fr');

    expect((await t.api.patch('/api/sites/B', { locale: 'de' }, tokens.admin)).status).toBe(400);
    expect((await t.api.patch(`/api/users/${monitor.id}`, { locale: 'klingon' }, tokens.admin)).status).toBe(400);
  });

  it("[I18N-004] anyone signed in changes their own language with PATCH /api/auth/me; a bad value is a clear 400; null returns to the site's", async () => {
    const bad = await t.api.patch('/api/auth/me', { locale: 'de' }, tokens.investigator2);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.text).toContain('locale must be one of en, fr');
    expect((await t.api.patch('/api/auth/me', {}, tokens.investigator2)).status).toBe(400);

    const fr = await t.api.patch('/api/auth/me', { locale: 'fr' }, tokens.investigator2);
    expect(fr.status).toBe(200);
    expect(fr.body).toMatchObject({ username: 'investigator2', locale: 'fr', preferredLocale: 'fr' });
    const login = await t.api.post('/api/auth/login', {
      username: 'investigator2',
      password: 'demo-password-1',
      totp: demoTotp(),
    });
    expect(login.body.user.locale).toBe('fr');

    const back = await t.api.patch('/api/auth/me', { locale: null }, tokens.investigator2);
    expect(back.body).toMatchObject({ locale: 'en', preferredLocale: null });

    const en = await t.api.patch('/api/auth/me', { locale: 'en' }, tokens.investigator1); // on French site A, chooses English
    expect(en.body).toMatchObject({ locale: 'en', preferredLocale: 'en' });
    const audit = await t.api.get('/api/admin/audit?action=user.updated', tokens.admin);
    expect(JSON.stringify(audit.body)).toContain('"locale"');
  });

  it('[I18N-005] the same notification reaches a French and an English user each in their own language, in the inbox and by e-mail', async () => {
    // monitor: French (profile); investigator1: English (profile, on a French site); pharmacist: instance default (English).
    const before = smtp.received.length;
    const lock = await t.api.post(
      '/api/study/lock',
      { ...signed(), reason: 'Database lock for the language test' },
      tokens.statistician,
    );
    expect(lock.status).toBe(200);
    const [fr] = await waitFor(
      'the French e-mail to the monitor',
      async () => smtp.to(mailOf('monitor')).length >= 1 && smtp.to(mailOf('monitor')),
    );
    const [en] = await waitFor(
      'the English e-mail to investigator1',
      async () => smtp.to(mailOf('investigator1')).length >= 1 && smtp.to(mailOf('investigator1')),
    );
    expect(smtp.received.length).toBeGreaterThan(before);
    const code = (await t.api.get('/api/study', tokens.statistician)).body.code as string;

    const frTitle = translate('fr', 'notifications.studyLockedTitle', { study: code });
    const enTitle = translate('en', 'notifications.studyLockedTitle', { study: code });
    expect(frTitle).not.toBe(enTitle);
    // Subjects are RFC 2047-encoded when not ASCII: compare the decoded French subject.
    expect(decodedSubject(fr)).toBe(`[blindrand] ${frTitle}`);
    expect(decodedText(fr)).toContain(translate('fr', 'emails.studyLockedText', { study: code }));
    expect(decodedSubject(en)).toBe(`[blindrand] ${enTitle}`);
    expect(en.text).toContain(translate('en', 'emails.studyLockedText', { study: code }));
    expect(en.text).not.toContain('verrouillée');

    const inboxFr = (await t.api.get('/api/notifications', tokens.monitor)).body.items.find(
      (n: any) => n.kind === 'study.locked',
    );
    const inboxEn = (await t.api.get('/api/notifications', tokens.pharmacist)).body.items.find(
      (n: any) => n.kind === 'study.locked',
    );
    expect(inboxFr.title).toBe(frTitle);
    expect(inboxEn.title).toBe(enTitle);
  });
});
