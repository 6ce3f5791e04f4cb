/**
 * Issue 15, server side: the pharmacy is told what to prepare at each randomization (only unblinded
 * roles), preparation tasks carry their due window and the patient's site and screening number,
 * notifications link to their record, the patient's page can show an open request before a second
 * one is typed, the emergency card, and the lock summary.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SmtpSink } from './fixtures/smtp-sink.js';
import { decide, randomizedPatient, requestUnblinding, storedArm, waitFor } from './fixtures/unblinding-helpers.js';

const DAY = 86_400_000;
const BLINDED = ['investigator1', 'investigator2', 'monitor', 'statistician', 'auditor', 'admin'];

describe('pharmacy notice, due windows, links, open requests, emergency card, lock summary', () => {
  const smtp = new SmtpSink();
  const protocol = demoProtocol();
  const vocabulary = blindedVocabulary(protocol);
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let patient: string;

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '200',
      PUBLIC_URL: 'https://rand.chu-toulouse.example/',
    });
    for (const u of [...BLINDED, 'pharmacist', 'randstat']) tokens[u] = await t.api.login(u);
    patient = await randomizedPatient(t.api, tokens.investigator1, 'A');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('[EMERG-005] at randomization the pharmacist (unblinded) is told the code and what to prepare; no blinded role gets the notice or its e-mail', async () => {
    const stored = await storedArm(t, patient);
    const products = protocol.arms
      .find((a) => a.code === stored)!
      .products.map((c) => protocol.products.find((p) => p.code === c)!.label);
    const row = (await t.api.get(`/api/participants/${patient}`, tokens.investigator1)).body;
    const [notice] = (await t.api.get('/api/notifications', tokens.pharmacist)).body.items.filter(
      (n: any) => n.kind === 'pharmacy.prepare',
    );
    expect(notice).toMatchObject({
      entityType: 'participant',
      entityId: patient,
      link: `/s/MSCT-MS/pharmacy/tasks?participant=${patient}`,
    });
    expect(notice.title).toContain(row.screeningNumber);
    expect(notice.title).toContain(row.treatmentCode);
    for (const label of products) expect(notice.body).toContain(label);
    for (const u of [...BLINDED, 'randstat']) {
      const items = (await t.api.get('/api/notifications', tokens[u])).body.items;
      expect({ u, kinds: items.filter((n: any) => n.kind === 'pharmacy.prepare').length }).toEqual({ u, kinds: 0 });
    }
    const mail = await waitFor('the pharmacist e-mail', async () =>
      smtp.to('pharmacist@blindrand.local').find((m) => m.subject.includes('preparation')),
    );
    expect(mail.text).toContain(row.treatmentCode);
    expect(leakHits(mail.text, vocabulary)).toEqual([]); // what to prepare is shown behind sign-in only
    expect(smtp.received.filter((m) => m.subject.includes('preparation')).map((m) => m.to)).toEqual([
      ['pharmacist@blindrand.local'],
    ]);
  });

  it("[EMERG-006] each period's task is due in its window from the protocol's timing (week 24 is not due on day 0) and names site and screening number", async () => {
    const tasks = (await t.api.get('/api/pharmacy/tasks', tokens.pharmacist)).body.filter(
      (x: any) => x.participantId === patient,
    );
    const randomizedAt = Date.parse(tasks[0].randomizedAt);
    expect(tasks.map((x: any) => [x.period, x.siteCode, x.timing])).toEqual([
      [1, 'A', 'day 0'],
      [2, 'A', 'week 24'],
    ]);
    expect(tasks[0].screeningNumber).toBe(
      (await t.api.get(`/api/participants/${patient}`, tokens.investigator1)).body.screeningNumber,
    );
    expect(Date.parse(tasks[0].dueFrom)).toBe(randomizedAt);
    expect(Date.parse(tasks[0].dueBy)).toBe(randomizedAt + 3 * DAY);
    expect(Date.parse(tasks[1].dueAt)).toBe(randomizedAt + 168 * DAY);
    expect(Date.parse(tasks[1].dueFrom)).toBe(randomizedAt + 165 * DAY);
    expect(Date.parse(tasks[1].dueBy)).toBe(randomizedAt + 171 * DAY);
  });

  it("[EMERG-009] [EMERG-008] the patient's open request is listed for the patient before a second is typed; the approval links to the reveal on the patient's page", async () => {
    const id = (await requestUnblinding(t.api, tokens.investigator1, patient)).body.id;
    const forPatient = await t.api.get(`/api/unblinding-requests?participantId=${patient}`, tokens.investigator1);
    expect(forPatient.body).toEqual([
      expect.objectContaining({
        id,
        status: 'pending',
        mine: true,
        requestedByName: expect.any(String),
        siteCode: 'A',
      }),
    ]);
    expect((await t.api.get(`/api/unblinding-requests?participantId=${patient}`, tokens.investigator2)).body).toEqual(
      [],
    );
    expect((await t.api.get('/api/unblinding-requests?participantId=not-a-uuid', tokens.investigator1)).status).toBe(
      400,
    );
    const toMonitor = (await t.api.get('/api/notifications', tokens.monitor)).body.items.find(
      (n: any) => n.entityId === id,
    );
    expect(toMonitor.link).toBe(`/s/MSCT-MS/unblinding/requests?request=${id}`);
    await decide(t.api, tokens.monitor, id, true);
    const approved = (await t.api.get('/api/notifications', tokens.investigator1)).body.items.find(
      (n: any) => n.kind === 'unblinding.approved' && n.entityId === id,
    );
    expect(approved.link).toBe(`/s/MSCT-MS/patients/${patient}?reveal=${id}#unblinding`);
    const mail = await waitFor('the approval e-mail', async () =>
      smtp.to('investigator1@blindrand.local').find((m) => m.text.includes(id)),
    );
    expect(mail.text).toContain(
      `https://rand.chu-toulouse.example/s/MSCT-MS/patients/${patient}?reveal=${id}#unblinding`,
    );
  });

  it("[EMERG-010] the emergency card: screening number, code, study, 24/7 contacts and the patient's unblinding address; no arm; other sites 404", async () => {
    const card = await t.api.get(`/api/participants/${patient}/emergency-card`, tokens.investigator1);
    expect(card.status).toBe(200);
    const row = (await t.api.get(`/api/participants/${patient}`, tokens.investigator1)).body;
    expect(card.body).toMatchObject({
      screeningNumber: row.screeningNumber,
      treatmentCode: row.treatmentCode,
      studyCode: 'MSCT-MS',
      siteCode: 'A',
      url: `https://rand.chu-toulouse.example/s/MSCT-MS/patients/${patient}#unblinding`,
    });
    expect(card.body.contacts).toEqual(protocol.unblinding.emergency!.contacts);
    expect(leakHits(card.text, vocabulary)).toEqual([]);
    expect((await t.api.get(`/api/participants/${patient}/emergency-card`, tokens.investigator2)).status).toBe(404);
    expect((await t.api.get(`/api/participants/${patient}/emergency-card`, tokens.pharmacist)).status).toBe(403);
  });

  it('[EMERG-011] the lock summary lists open unblinding requests and undispensed preparations, never an arm', async () => {
    const other = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const open = (await requestUnblinding(t.api, tokens.investigator1, other)).body.id;
    const summary = await t.api.get('/api/study/lock-summary', tokens.statistician);
    expect(summary.status).toBe(200);
    expect(summary.body.openUnblindingRequests.map((r: any) => r.id)).toContain(open);
    expect(summary.body.undispensed.filter((u: any) => u.participantId === other).map((u: any) => u.period)).toEqual([
      1, 2,
    ]);
    expect(leakHits(summary.text, vocabulary)).toEqual([]);
    const raw = await openRawDb(t.config);
    try {
      const [{ n }] = await raw.all('SELECT COUNT(*) AS n FROM allocations');
      expect(summary.body.undispensed).toHaveLength(Number(n) * protocol.periods.length);
    } finally {
      await raw.close();
    }
  });
});
