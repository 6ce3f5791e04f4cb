/**
 * Escalation of unblinding requests nobody decided in time (issue 15). The protocol's rule is made
 * fast (escalateAfterMinutes 0.02 = 1.2 s) and the scheduler's check interval is the validated
 * ESCALATION_CHECK_MS; no clock is faked. Escalation state lives in the database: a process that
 * never saw the request escalates it, and several processes escalate it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { protocolWithEscalation } from './fixtures/emergency-protocol.js';
import {
  decide,
  randomizedPatient,
  requestUnblinding,
  reveal,
  storedArm,
  waitFor,
} from './fixtures/unblinding-helpers.js';

const sameDatabase = (t: TestApp) => {
  const db = t.config.database as any;
  return {
    SIGNING_KEY_PATH: t.config.signingKeyPath,
    ...(db.dialect === 'postgres' ? { DATABASE_URL: db.url } : { DATABASE_PATH: db.path }),
  };
};

async function inbox(t: TestApp, token: string): Promise<any[]> {
  return (await t.api.get('/api/notifications', token)).body.items;
}

describe('escalation to break-the-glass when no monitor decides in time', () => {
  const vocabulary = blindedVocabulary(demoProtocol());
  const protocol = protocolWithEscalation('break-the-glass', 0.02);
  let first: TestApp;
  const others: TestApp[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // The first process checks only at start (once an hour afterwards): it never escalates during the test.
    first = await startTestApp({ PROTOCOL_FILE: protocol, ESCALATION_CHECK_MS: '3600000' });
    for (const u of ['investigator1', 'monitor', 'auditor']) tokens[u] = await first.api.login(u);
  });
  afterAll(async () => {
    for (const o of others) await o.close();
    await first.close();
  });

  const escalations = async (id: string) =>
    (await first.api.get(`/api/audit?action=unblinding.escalated&entityId=${id}`, tokens.auditor)).body.entries;

  it('[EMERG-002] [EMERG-001] a process that never saw the request escalates it from the database: audited, requester and monitors notified with links, the reveal opens', async () => {
    const patient = await randomizedPatient(first.api, tokens.investigator1, 'A');
    const created = await requestUnblinding(first.api, tokens.investigator1, patient);
    expect(created.body).toMatchObject({
      status: 'pending',
      escalatedAt: null,
      escalatesAt: expect.stringMatching(/Z$/),
    });
    const id = created.body.id;
    await new Promise((r) => setTimeout(r, 1600)); // past the deadline, but the first process does not look
    expect((await first.api.get(`/api/unblinding-requests/${id}`, tokens.investigator1)).body.status).toBe('pending');

    // A new process (a restart, or a second instance) finds the due request in the database.
    others.push(await startTestApp({ PROTOCOL_FILE: protocol, ESCALATION_CHECK_MS: '200', ...sameDatabase(first) }));
    const escalated = await waitFor('the escalation', async () => {
      const r = (await first.api.get(`/api/unblinding-requests/${id}`, tokens.investigator1)).body;
      return r.status === 'approved' && r;
    });
    expect(escalated).toMatchObject({
      escalatedTo: 'break-the-glass',
      escalatedAt: expect.stringMatching(/Z$/),
      escalatesAt: null,
      canReveal: true,
    });

    const [entry] = await escalations(id);
    expect(entry).toMatchObject({
      actor: 'system',
      reason: expect.stringContaining('break-the-glass'),
      details: {
        escalateTo: 'break-the-glass',
        escalateAfterMinutes: 0.02,
        changes: { status: { old: 'pending', new: 'approved' } },
      },
    });

    const requesterNote = (await inbox(first, tokens.investigator1)).find((n) => n.kind === 'unblinding.escalated');
    expect(requesterNote).toMatchObject({
      entityId: id,
      link: `/s/MSCT-MS/patients/${patient}?reveal=${id}#unblinding`,
    });
    const monitorNote = (await inbox(first, tokens.monitor)).find((n) => n.kind === 'unblinding.escalated-review');
    expect(monitorNote).toMatchObject({ entityId: id, link: `/s/MSCT-MS/unblinding/requests?request=${id}` });
    for (const n of [requesterNote, monitorNote]) expect(leakHits(JSON.stringify(n), vocabulary)).toEqual([]);

    const shown = await reveal(first.api, tokens.investigator1, id);
    expect(shown.status).toBe(200);
    expect(shown.body.arm).toBe(await storedArm(first, patient));
    // The monitor's decision afterwards is a review of the broken blind, as under break-the-glass.
    const review = await decide(
      first.api,
      tokens.monitor,
      id,
      true,
      'Escalation justified: the patient was in intensive care',
    );
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({ status: 'revealed', reviews: [expect.objectContaining({ approve: true })] });
  });

  it('[EMERG-003] with two escalating processes on one database, each due request is escalated, audited and notified exactly once', async () => {
    others.push(await startTestApp({ PROTOCOL_FILE: protocol, ESCALATION_CHECK_MS: '200', ...sameDatabase(first) }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const patient = await randomizedPatient(first.api, tokens.investigator1, 'A');
      ids.push((await requestUnblinding(first.api, tokens.investigator1, patient)).body.id);
    }
    await waitFor('every escalation', async () => {
      const list = (await first.api.get('/api/unblinding-requests', tokens.monitor)).body;
      return ids.every((id) => list.find((r: any) => r.id === id)?.escalatedTo === 'break-the-glass');
    });
    await new Promise((r) => setTimeout(r, 1000)); // a second escalation would happen now
    for (const id of ids) expect(await escalations(id)).toHaveLength(1);
    const notes = (await inbox(first, tokens.investigator1)).filter(
      (n) => n.kind === 'unblinding.escalated' && ids.includes(n.entityId),
    );
    expect(notes.map((n) => n.entityId).sort()).toEqual([...ids].sort());
  });
});

describe('escalation to a backup monitor', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({
      PROTOCOL_FILE: protocolWithEscalation('backup-monitor', 0.02),
      ESCALATION_CHECK_MS: '200',
    });
    for (const u of ['investigator1', 'monitor', 'auditor']) tokens[u] = await t.api.login(u);
  });
  afterAll(async () => t.close());

  it('[EMERG-004] alerts the backup monitors, tells the requester, keeps the request pending for a normal decision', async () => {
    const study = await t.api.get('/api/study', tokens.investigator1);
    expect(study.body.emergency).toMatchObject({
      escalateTo: 'backup-monitor',
      escalateAfterMinutes: 0.02,
      contacts: [expect.objectContaining({ phone: expect.stringMatching(/^\+33/) }), expect.anything()],
    });
    const patient = await randomizedPatient(t.api, tokens.investigator1, 'A');
    const id = (await requestUnblinding(t.api, tokens.investigator1, patient)).body.id;
    const escalated = await waitFor('the escalation', async () => {
      const r = (await t.api.get(`/api/unblinding-requests/${id}`, tokens.monitor)).body;
      return r.escalatedTo === 'backup-monitor' && r;
    });
    expect(escalated).toMatchObject({ status: 'pending', canReveal: false });
    expect(
      (await t.api.get(`/api/audit?action=unblinding.escalated&entityId=${id}`, tokens.auditor)).body.entries[0]
        .details,
    ).toMatchObject({ escalateTo: 'backup-monitor', backupMonitors: ['monitor'] });
    expect((await inbox(t, tokens.monitor)).find((n) => n.kind === 'unblinding.escalated-backup')).toMatchObject({
      entityId: id,
      link: `/s/MSCT-MS/unblinding/requests?request=${id}`,
    });
    expect((await inbox(t, tokens.investigator1)).find((n) => n.kind === 'unblinding.escalated')).toMatchObject({
      entityId: id,
      link: `/s/MSCT-MS/patients/${patient}?request=${id}#unblinding`,
    });
    expect((await reveal(t.api, tokens.investigator1, id)).status).toBe(409);
    const approved = await decide(t.api, tokens.monitor, id, true);
    expect(approved.body.status).toBe('approved');
  });
});
