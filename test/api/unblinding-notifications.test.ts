import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  decide,
  randomizedPatient,
  requestUnblinding,
  reveal,
  storedArm,
  waitFor,
} from './fixtures/unblinding-helpers.js';
import { SmtpSink } from './fixtures/smtp-sink.js';

const MAIL_ENV = { MAIL_POLL_MS: '200', MAIL_RETRY_BASE_MS: '200', MAIL_RETRY_MAX_MS: '1000' };
const mailOf = (user: string) => `${user}@blindrand.local`;

describe('unblinding notifications: console inbox and e-mail through a real SMTP server, never unblinding', () => {
  const smtp = new SmtpSink();
  const vocabulary = blindedVocabulary(demoProtocol());
  let t: TestApp;
  let second: TestApp | null = null;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({ SMTP_URL: smtp.url, ...MAIL_ENV });
    for (const u of ['investigator1', 'investigator2', 'monitor', 'auditor']) tokens[u] = await t.api.login(u);
  });
  afterAll(async () => {
    await second?.close();
    await t.close();
    await smtp.stop();
  });

  // The pharmacist's preparation notices at each randomization (issue 15) are not unblinding
  // notifications: they are tested in emergency-pharmacy-summaries.test.ts and left out here.
  const PHARMACY = mailOf('pharmacist');
  const received = () => smtp.received.filter((m) => !m.to.includes(PHARMACY));

  async function outbox(): Promise<Array<Record<string, any>>> {
    const raw = await openRawDb(t.config);
    try {
      return await raw.all('SELECT * FROM mail_outbox WHERE to_address <> ? ORDER BY created_at, id', [PHARMACY]);
    } finally {
      await raw.close();
    }
  }

  it('request → monitor, decision → requester ("sign in to view"), reveal → monitor; no e-mail names an arm, product or sequence [BLIND-010]', async () => {
    const patient = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const id = (await requestUnblinding(t.api, tokens.investigator1, patient)).body.id;
    const [asked] = await waitFor(
      'the request e-mail to the monitor',
      async () => smtp.to(mailOf('monitor')).length === 1 && smtp.to(mailOf('monitor')),
    );
    expect(asked.subject).toBe('[blindrand] An unblinding request needs a decision');
    expect(asked.text).toContain('Sign in to blindrand');

    expect((await decide(t.api, tokens.monitor, id, true)).body.status).toBe('approved');
    const [decided] = await waitFor(
      'the decision e-mail to the requester',
      async () => smtp.to(mailOf('investigator1')).length === 1 && smtp.to(mailOf('investigator1')),
    );
    expect(decided.subject).toBe('[blindrand] A decision was made on your unblinding request');
    expect(decided.text).toMatch(
      /A decision was made on your unblinding request\.\s+Sign in to blindrand to view it\./,
    );

    const shown = await reveal(t.api, tokens.investigator1, id);
    expect(shown.body.arm).toBe(await storedArm(t, patient));
    await waitFor('the reveal e-mail to the monitor', async () => smtp.to(mailOf('monitor')).length === 2);

    expect(received().map((m) => m.to)).toEqual([[mailOf('monitor')], [mailOf('investigator1')], [mailOf('monitor')]]);
    for (const m of smtp.received) {
      expect({ to: m.to, hits: leakHits(m.text, vocabulary) }).toEqual({ to: m.to, hits: [] });
      expect(m.text).not.toContain(shown.body.armLabel);
    }
    // The outbox row is marked sent once the SMTP server has answered, so just after the message arrived.
    const statuses = await waitFor('the outbox to settle', async () => {
      const rows = (await outbox()).map((r) => r.status);
      return rows.every((s) => s !== 'sending' && s !== 'pending') && rows;
    });
    expect(statuses).toEqual(['sent', 'sent', 'sent']);
  });

  it('the console inbox counts unread notifications per user and never carries the arm [BLIND-010]', async () => {
    const inbox = await t.api.get('/api/notifications', tokens.monitor);
    expect(inbox.body.unread).toBe(2);
    expect(inbox.body.items.map((n: any) => n.kind)).toEqual(['unblinding.revealed', 'unblinding.requested']);
    expect(leakHits(inbox.text, vocabulary)).toEqual([]);
    const after = await t.api.post(`/api/notifications/${inbox.body.items[1].id}/read`, {}, tokens.monitor);
    expect(after.status).toBe(200);
    expect(after.body.unread).toBe(1);
    expect(after.body.items[1]).toMatchObject({ read: true, readAt: expect.stringMatching(/Z$/) });
    expect(
      (await t.api.post(`/api/notifications/${inbox.body.items[0].id}/read`, {}, tokens.investigator1)).status,
    ).toBe(404);
    const requester = await t.api.get('/api/notifications', tokens.investigator1);
    expect(requester.body).toMatchObject({
      unread: 1,
      items: [{ kind: 'unblinding.approved', entityType: 'unblinding-request' }],
    });
    expect(leakHits(requester.text, vocabulary)).toEqual([]);
    expect((await t.api.get('/api/notifications', tokens.investigator2)).body).toEqual({ items: [], unread: 0 });
  });

  it('with the SMTP server down, requests still succeed and messages wait in the outbox; when it returns they are delivered once, even with two server instances [UNBL-011]', async () => {
    await smtp.stop();
    const before = received().length;
    const patients = [
      await randomizedPatient(t.api, tokens.investigator1, 'A'),
      await randomizedPatient(t.api, tokens.investigator2, 'B'),
    ];
    const started = Date.now();
    const a = await requestUnblinding(t.api, tokens.investigator1, patients[0]);
    const b = await requestUnblinding(t.api, tokens.investigator2, patients[1]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(Date.now() - started).toBeLessThan(5000); // never blocked on SMTP
    expect((await decide(t.api, tokens.monitor, a.body.id, false)).body.status).toBe('denied');

    const waiting = await waitFor('failed attempts recorded in the outbox', async () => {
      const rows = (await outbox()).filter((r) => r.status !== 'sent');
      // A row caught while a retry holds it reads 'sending' (the claim), so wait until all three are back
      // to 'pending': a failed send must leave the message waiting, which a timeout here would disprove.
      return (
        rows.length === 3 &&
        rows.every((r) => Number(r.attempts) >= 1 && r.last_error && r.status === 'pending') &&
        rows
      );
    });
    expect(waiting.map((r) => r.to_address).sort()).toEqual([
      mailOf('investigator1'),
      mailOf('monitor'),
      mailOf('monitor'),
    ]);
    expect(waiting.every((r) => r.status === 'pending')).toBe(true);
    expect(received().length).toBe(before);
    expect((await t.api.get('/api/notifications', tokens.monitor)).body.unread).toBe(3); // the inbox does not wait for SMTP

    // a second instance on the same database drains the same outbox: the claim lets one of them send each message
    const db = t.config.database as any;
    second = await startTestApp({
      SMTP_URL: smtp.url,
      ...MAIL_ENV,
      SIGNING_KEY_PATH: t.config.signingKeyPath,
      ...(db.dialect === 'postgres' ? { DATABASE_URL: db.url } : { DATABASE_PATH: db.path }),
    });
    await smtp.start();
    await waitFor(
      'delivery after the SMTP server returned',
      async () => (await outbox()).every((r) => r.status === 'sent'),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // a double send would arrive now
    const late = received().slice(before);
    expect(late.map((m) => m.to[0]).sort()).toEqual([mailOf('investigator1'), mailOf('monitor'), mailOf('monitor')]);
    const ids = received().map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength((await outbox()).length);
    for (const m of late) expect(leakHits(m.text, vocabulary)).toEqual([]);
    const senders = new Set((await outbox()).slice(-3).map((r) => r.claimed_by));
    console.log(
      `outage: ${late.length} messages delivered after the SMTP server returned, by ${senders.size} instance(s), duplicates=${ids.length - new Set(ids).size}`,
    );
  });
});
