/**
 * Issue 17 item 4: downtime envelopes (docs/DOWNTIME.md). The must-show: envelopes reserved before
 * activation, the server stopped, two envelopes "used" on paper, the server restarted on the same
 * database, both entered, then randomization goes on — numbers without gap, each stratum's list
 * order kept (the online part in order, the envelopes' part in order, never crossing), a forged or
 * reused envelope refused with its code, the audit chain valid; and no envelope route hands a
 * blinded role an arm.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { blindedVocabulary, demoProtocol, leakHits, newParticipant, randomize } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type ApiResponse, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY } from '../support/index.js';

const vocabulary = blindedVocabulary(demoProtocol());
const STRATUM = 'course=RRMS|edss=LE5|site=A';
const USERS = [
  'admin',
  'investigator1',
  'investigator2',
  'pharmacist',
  'monitor',
  'statistician',
  'randstat',
  'auditor',
] as const;
const BLINDED = ['admin', 'investigator1', 'investigator2', 'monitor', 'statistician', 'auditor'] as const;
const sign = { password: DEMO_PASSWORD };

/** Stops the app's process but keeps its database and key (an outage, not a wipe). */
async function stop(app: TestApp): Promise<void> {
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.send({ type: 'close' });
  await exited;
}

describe(`downtime envelopes (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let first: TestApp;
  let t: TestApp;
  let tokens: Record<string, string> = {};
  /** Every response a blinded role received from an envelope route, for the leak search. */
  const blindedTexts: Array<{ who: string; what: string; res: ApiResponse }> = [];
  const login = async () => {
    tokens = {};
    for (const u of USERS) tokens[u] = await t.api.login(u);
  };
  const reconcile = (
    participantId: string,
    envelopeNumber: number,
    treatmentCode: string,
    openedAt: string,
    key: string,
    who = 'investigator1',
  ) => {
    const res = t.api.post(
      '/api/envelopes/reconcile',
      { participantId, envelopeNumber, treatmentCode, openedAt, openedBy: 'Dr Ana Roca', signature: sign },
      tokens[who],
      { 'idempotency-key': key },
    );
    return res.then((r) => (blindedTexts.push({ who, what: `reconcile ${envelopeNumber}`, res: r }), r));
  };

  let sheets: Array<{ number: number; ordinal: number; stratum: string; treatmentCode: string; siteCode: string }> = [];
  let envelopeIds: Record<number, string> = {};
  let listLength = 0;

  beforeAll(async () => {
    first = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
    t = first;
    await login();
  });
  afterAll(async () => {
    await t?.close();
    if (first && first !== t) rmSync(first.dir, { recursive: true, force: true });
  });

  it('[ENV-001] [ENV-002] the randomization statistician reserves signed envelopes before activation; their commitments are sealed in the audit trail', async () => {
    const denied = await t.api.post(
      '/api/envelopes/reserve',
      { siteCode: 'A', count: 2, strata: [STRATUM], signature: sign },
      tokens.investigator1,
    );
    expect(denied.status).toBe(403);
    const badPassword = await t.api.post(
      '/api/envelopes/reserve',
      { siteCode: 'A', count: 2, strata: [STRATUM], signature: { password: 'wrong-password' } },
      tokens.randstat,
    );
    expect(badPassword.body.code).toBe('SIGNATURE_INVALID');
    const raw = await openRawDb(t.config);
    listLength = Number(
      (
        await raw.all(
          "SELECT COUNT(*) AS n FROM list_entries l JOIN schemes s ON s.id = l.scheme_id WHERE s.state = 'draft' AND l.stratum_key = ?",
          [STRATUM],
        )
      )[0].n,
    );
    await raw.close();
    expect(listLength).toBeGreaterThanOrEqual(6);
    // one entry always stays online
    const tooMany = await t.api.post(
      '/api/envelopes/reserve',
      { siteCode: 'A', count: listLength, strata: [STRATUM], signature: sign },
      tokens.randstat,
    );
    expect([tooMany.status, tooMany.body.code]).toEqual([409, 'ENVELOPES_NOT_AVAILABLE']);

    const res = await t.api.post(
      '/api/envelopes/reserve',
      { siteCode: 'A', count: 2, strata: [STRATUM], signature: sign },
      tokens.randstat,
    );
    expect(res.status).toBe(201);
    expect(res.body.reserved).toEqual([1, 2]);
    const again = await t.api.post(
      '/api/envelopes/reserve',
      { siteCode: 'A', count: 1, strata: [STRATUM], signature: sign },
      tokens.randstat,
    );
    expect(again.body.code).toBe('ENVELOPES_NOT_AVAILABLE');
    // Site B: one envelope in each of its six strata (to be voided later)
    const b = await t.api.post('/api/envelopes/reserve', { siteCode: 'B', count: 1, signature: sign }, tokens.randstat);
    expect(b.status).toBe(201);
    expect(b.body.reserved).toHaveLength(6);

    // The audit trail holds each envelope's commitment; blinded readers see it sealed
    const audit = await t.api.get('/api/audit?limit=500', tokens.auditor);
    const reserved = audit.body.entries.filter((e: any) => e.action === 'envelope.reserved');
    expect(reserved).toHaveLength(8);
    for (const e of reserved) {
      expect(e.details.commitment).toMatch(/^[0-9a-f]{64}$/);
      expect(e.details.unblinded).not.toHaveProperty('armCode');
      expect(e.details.signature.meaning).toMatch(/downtime envelopes/);
    }
    const list = await t.api.get('/api/envelopes', tokens.randstat);
    expect(list.body.envelopes.map((e: any) => e.commitment).sort()).toEqual(
      reserved.map((e: any) => e.details.commitment).sort(),
    );
    envelopeIds = Object.fromEntries(list.body.envelopes.map((e: any) => [e.number, e.id]));
  });

  it('[ENV-003] printed sheets: the investigator copy has the sealed code and no arm, the pharmacy copy the arm; printing is audited', async () => {
    const inv = await t.api.post('/api/envelopes/print', { copy: 'investigator', siteCode: 'A' }, tokens.investigator1);
    blindedTexts.push({ who: 'investigator1', what: 'print', res: inv });
    expect(inv.status).toBe(200);
    expect(inv.body.sheets.map((s: any) => s.number)).toEqual([1, 2]);
    expect(inv.body.sheets[0]).toMatchObject({ siteCode: 'A', stratum: STRATUM, ordinal: 1, ofCount: 2 });
    expect(inv.body.sheets[0].treatmentCode).toMatch(/^MS-/);
    expect(inv.body.sheets[0]).not.toHaveProperty('arm');
    expect(leakHits(inv.text, vocabulary)).toEqual([]);
    sheets = inv.body.sheets;

    const pharmacy = await t.api.post('/api/envelopes/print', { copy: 'pharmacy', siteCode: 'A' }, tokens.pharmacist);
    expect(pharmacy.status).toBe(200);
    expect(vocabulary).toContain(pharmacy.body.sheets[0].arm.code);
    expect(pharmacy.body.sheets.map((s: any) => s.treatmentCode)).toEqual(sheets.map((s) => s.treatmentCode));

    const refused = await t.api.post('/api/envelopes/print', { copy: 'pharmacy', siteCode: 'A' }, tokens.investigator1);
    blindedTexts.push({ who: 'investigator1', what: 'print pharmacy', res: refused });
    expect(refused.status).toBe(403);
    const otherSite = await t.api.post(
      '/api/envelopes/print',
      { copy: 'investigator', envelopeIds: [envelopeIds[1]] },
      tokens.investigator2,
    );
    expect(otherSite.status).toBe(404);
    const monitor = await t.api.post('/api/envelopes/print', { copy: 'investigator' }, tokens.monitor);
    expect(monitor.status).toBe(403);

    const audit = await t.api.get('/api/audit?limit=500', tokens.auditor);
    const printed = audit.body.entries.filter((e: any) => e.action === 'envelope.printed');
    expect(printed.map((e: any) => [e.actor, e.details.copy])).toEqual([
      ['investigator1', 'investigator'],
      ['pharmacist', 'pharmacy'],
    ]);
  });

  it('[ENV-004] [ENV-005] [ENV-006] [ENV-007] outage: two envelopes used on paper, entered after restart, then randomization goes on without gap and in list order', async () => {
    const activated = await t.api.post('/api/study/activate', { signature: sign }, tokens.randstat);
    expect(activated.status).toBe(200);
    const online1 = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 4 });
    const online2 = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 3 });
    expect((await randomize(t.api, tokens.investigator1, online1, 'env-online-1')).body.randomizationNumber).toBe(1);
    expect((await randomize(t.api, tokens.investigator1, online2, 'env-online-2')).body.randomizationNumber).toBe(2);

    // The outage: the server stops; the site opens envelopes 1 and 2 in order and writes on the sheets.
    await stop(t);
    const openedAt1 = new Date(Date.now() + 1000).toISOString();
    const openedAt2 = new Date(Date.now() + 2000).toISOString();
    const [e1, e2] = sheets;
    const db = first.config.database;
    t = await startTestApp({
      DEMO_STUDY_STATUS: 'setup',
      SIGNING_KEY_PATH: join(first.dir, 'audit-signing.key'),
      ...(db.dialect === 'postgres' ? { DATABASE_URL: db.url } : { DATABASE_PATH: db.path }),
    });
    await login();
    await new Promise((r) => setTimeout(r, 2100)); // the opening times are now in the past

    // The system is back: the patients are registered with the answers written down on paper.
    const paper1 = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 3.5 });
    const paper2 = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 5 });
    const spms = await newParticipant(t.api, tokens.investigator1, { course: 'SPMS', edss: 4 });

    // Refusals, each with its code and nothing recorded
    expect((await reconcile(paper2, e2.number, e2.treatmentCode, openedAt2, 'env-early-2')).body.code).toBe(
      'ENVELOPE_OUT_OF_ORDER',
    );
    const unknown = await reconcile(paper1, 999, e1.treatmentCode, openedAt1, 'env-forged-1');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ENVELOPE_UNKNOWN']);
    const forgedCode = await reconcile(paper1, e1.number, 'MS-ZZZZZZ', openedAt1, 'env-forged-2');
    expect([forgedCode.status, forgedCode.body.code]).toEqual([409, 'ENVELOPE_CODE_MISMATCH']);
    const wrongStratum = await reconcile(spms, e1.number, e1.treatmentCode, openedAt1, 'env-forged-3');
    expect([wrongStratum.status, wrongStratum.body.code]).toEqual([409, 'ENVELOPE_WRONG_STRATUM']);
    const future = await reconcile(
      paper1,
      e1.number,
      e1.treatmentCode,
      new Date(Date.now() + 3_600_000).toISOString(),
      'env-future',
    );
    expect(future.body.code).toBe('VALIDATION_FAILED');
    const noKey = await t.api.post(
      '/api/envelopes/reconcile',
      {
        participantId: paper1,
        envelopeNumber: e1.number,
        treatmentCode: e1.treatmentCode,
        openedAt: openedAt1,
        openedBy: 'Dr Ana Roca',
        signature: sign,
      },
      tokens.investigator1,
    );
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    const r1 = await reconcile(paper1, e1.number, e1.treatmentCode.toLowerCase(), openedAt1, 'env-use-1');
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({
      randomizationNumber: 3,
      treatmentCode: e1.treatmentCode,
      viaEnvelope: e1.number,
      envelopeOpenedAt: openedAt1,
      stratum: STRATUM,
    });
    expect(r1.body.signature.meaning).toMatch(/randomized with this envelope/);
    const replay = await reconcile(paper1, e1.number, e1.treatmentCode.toLowerCase(), openedAt1, 'env-use-1');
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.randomizationNumber]).toEqual([
      201,
      'true',
      3,
    ]);
    // envelope 2 cannot carry an opening time before envelope 1's
    expect(
      (
        await reconcile(
          paper2,
          e2.number,
          e2.treatmentCode,
          new Date(Date.parse(openedAt1) - 1000).toISOString(),
          'env-use-2-early',
        )
      ).body.code,
    ).toBe('ENVELOPE_OUT_OF_ORDER');
    const r2 = await reconcile(paper2, e2.number, e2.treatmentCode, openedAt2, 'env-use-2');
    expect(r2.status).toBe(201);
    expect(r2.body).toMatchObject({ randomizationNumber: 4, viaEnvelope: e2.number });

    // A reused envelope (the same sheet for another patient) is refused
    const next = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 4.5 });
    const reused = await reconcile(next, e1.number, e1.treatmentCode, openedAt2, 'env-reuse');
    expect([reused.status, reused.body.code]).toEqual([409, 'ENVELOPE_ALREADY_USED']);

    // Randomization goes on online: number 5, then the online part of the list runs out before the envelopes' entries
    expect((await randomize(t.api, tokens.investigator1, next, 'env-online-3')).body.randomizationNumber).toBe(5);
    for (let i = 0; i < listLength - 5; i++) {
      const p = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 4 });
      expect((await randomize(t.api, tokens.investigator1, p, `env-online-fill-${i}`)).status).toBe(201);
    }
    const last = await newParticipant(t.api, tokens.investigator1, { course: 'RRMS', edss: 4 });
    expect((await randomize(t.api, tokens.investigator1, last, 'env-online-exhausted')).body.code).toBe(
      'LIST_EXHAUSTED',
    );

    // Numbers without gap; online and envelope allocations each in list order, never crossing
    const log = (await t.api.get('/api/allocation-log', tokens.randstat)).body as any[];
    expect(log.map((r) => r.randomizationNumber)).toEqual(Array.from({ length: listLength }, (_, i) => i + 1));
    expect(
      log.filter((r) => r.viaEnvelope !== null).map((r) => [r.randomizationNumber, r.viaEnvelope, r.envelopeOpenedAt]),
    ).toEqual([
      [3, e1.number, openedAt1],
      [4, e2.number, openedAt2],
    ]);
    const raw = await openRawDb(t.config);
    try {
      const entries = await raw.all(
        `SELECT a.randomization_number, l.position, l.arm_code, l.treatment_code, a.arm_code AS allocated_arm, a.treatment_code AS allocated_code
         FROM allocations a JOIN list_entries l ON l.id = a.list_entry_id WHERE a.stratum_key = ? ORDER BY a.randomization_number`,
        [STRATUM],
      );
      const L = listLength;
      const expected = [[1, 1], [2, 2], [3, L - 1], [4, L], ...Array.from({ length: L - 4 }, (_, i) => [5 + i, 3 + i])];
      expect(entries.map((e) => [Number(e.randomization_number), Number(e.position)])).toEqual(expected);
      for (const e of entries) expect([e.allocated_arm, e.allocated_code]).toEqual([e.arm_code, e.treatment_code]);
    } finally {
      await raw.close();
    }

    // The pharmacy sees what to prepare for the patients entered from envelopes, like any other
    const tasks = (await t.api.get('/api/pharmacy/tasks', tokens.pharmacist)).body as any[];
    expect(tasks.filter((x) => x.participantId === paper1 || x.participantId === paper2).length).toBeGreaterThanOrEqual(
      2,
    );
    // The CSV export names the envelope
    const csv = await t.api.get('/api/allocation-log?format=csv', tokens.auditor);
    expect(csv.text.split('\n')[0]).toContain('viaEnvelope');
  });

  it('[ENV-008] a stored envelope rewritten behind the application no longer matches its audited commitment and is refused', async () => {
    const list = (await t.api.get('/api/envelopes', tokens.randstat)).body.envelopes as any[];
    const target = list.find((e) => e.siteCode === 'B' && e.stratum === 'course=RRMS|edss=LE5|site=B');
    const raw = await openRawDb(t.config);
    try {
      // the attacker points the envelope at another entry of the same stratum (and knows its code)
      const [original] = await raw.all('SELECT list_entry_id FROM envelopes WHERE id = ?', [target.id]);
      const [other] = await raw.all(
        'SELECT id, treatment_code FROM list_entries WHERE stratum_key = ? AND position = 1 AND scheme_id = (SELECT active_scheme_id FROM study)',
        [target.stratum],
      );
      await raw.run('UPDATE envelopes SET list_entry_id = ? WHERE id = ?', [other.id, target.id]);
      const p = await newParticipant(t.api, tokens.investigator2, { site: 'B', course: 'RRMS', edss: 3 });
      const res = await reconcile(
        p,
        target.number,
        String(other.treatment_code),
        new Date(Date.now() - 1000).toISOString(),
        'env-tampered',
        'investigator2',
      );
      expect([res.status, res.body.code, res.body.message]).toEqual([409, 'ENVELOPE_TAMPERED', expect.any(String)]);
      await raw.run('UPDATE envelopes SET list_entry_id = ? WHERE id = ?', [original.list_entry_id, target.id]);
    } finally {
      await raw.close();
    }
  });

  it('[ENV-009] unused envelopes are voided, signed and audited, and are never used afterwards', async () => {
    const forbidden = await t.api.post(
      '/api/envelopes/void',
      { siteCode: 'B', reason: 'downtime over', signature: sign },
      tokens.investigator1,
    );
    blindedTexts.push({ who: 'investigator1', what: 'void other site', res: forbidden });
    expect(forbidden.status).toBe(404);
    const one = await t.api.post(
      '/api/envelopes/void',
      { envelopeIds: [envelopeIds[3]], reason: 'sheet damaged', signature: sign },
      tokens.investigator2,
    );
    blindedTexts.push({ who: 'investigator2', what: 'void one', res: one });
    expect(one.status).toBe(200);
    expect(one.body.voided).toEqual([3]);
    const rest = await t.api.post(
      '/api/envelopes/void',
      { siteCode: 'B', reason: 'study site closed its paper procedure', signature: sign },
      tokens.randstat,
    );
    expect(rest.body.voided).toEqual([4, 5, 6, 7, 8]);
    const none = await t.api.post(
      '/api/envelopes/void',
      { siteCode: 'B', reason: 'again', signature: sign },
      tokens.randstat,
    );
    expect(none.status).toBe(404);
    const usedOne = await t.api.post(
      '/api/envelopes/void',
      { envelopeIds: [envelopeIds[1]], reason: 'oops', signature: sign },
      tokens.randstat,
    );
    expect(usedOne.body.code).toBe('ENVELOPE_ALREADY_USED');

    const list = (await t.api.get('/api/envelopes', tokens.randstat)).body.envelopes as any[];
    const byNumber = Object.fromEntries(list.map((e) => [e.number, e]));
    const p = await newParticipant(t.api, tokens.investigator2, { site: 'B', course: 'RRMS', edss: 3 });
    const res = await reconcile(
      p,
      byNumber[3].number,
      byNumber[3].treatmentCode,
      new Date(Date.now() - 1000).toISOString(),
      'env-voided',
      'investigator2',
    );
    expect(res.body.code).toBe('ENVELOPE_VOIDED');
    const audit = (await t.api.get('/api/audit?limit=500', tokens.auditor)).body.entries as any[];
    const voided = audit.filter((e) => e.action === 'envelope.voided');
    expect(voided).toHaveLength(6);
    expect(voided.every((e) => e.details.signature.meaning.startsWith('I void'))).toBe(true);
    // signatures of envelope records verify (bound to the stored envelope)
    const sig = await t.api.get(`/api/signatures/${voided[0].details.signatureId}/verification`, tokens.auditor);
    expect([sig.status, sig.body.valid]).toEqual([200, true]);
  });

  it('[ENV-011] blinded roles see envelope numbers and status on every envelope route, never an arm, an unused code or a nonce', async () => {
    const raw = await openRawDb(t.config);
    const nonces = (await raw.all('SELECT nonce FROM envelopes')).map((r) => String(r.nonce));
    await raw.close();
    for (const who of BLINDED) {
      const list = await t.api.get('/api/envelopes', tokens[who]);
      expect(list.status).toBe(200);
      blindedTexts.push({ who, what: 'list', res: list });
      for (const e of list.body.envelopes) {
        expect(['reserved', 'used', 'voided']).toContain(e.status);
        if (e.status !== 'used') expect(e).not.toHaveProperty('treatmentCode');
      }
      blindedTexts.push({ who, what: 'audit', res: await t.api.get('/api/audit?limit=500', tokens[who]) });
      blindedTexts.push({ who, what: 'log', res: await t.api.get('/api/allocation-log?format=csv', tokens[who]) });
      blindedTexts.push({
        who,
        what: 'print',
        res: await t.api.post('/api/envelopes/print', { copy: 'investigator' }, tokens[who]),
      });
      blindedTexts.push({
        who,
        what: 'reserve',
        res: await t.api.post('/api/envelopes/reserve', { siteCode: 'A', count: 1, signature: sign }, tokens[who]),
      });
      blindedTexts.push({
        who,
        what: 'void',
        res: await t.api.post(
          '/api/envelopes/void',
          { siteCode: 'A', reason: 'probe', signature: { password: 'not-it' } },
          tokens[who],
        ),
      });
    }
    const investigatorList = (await t.api.get('/api/envelopes', tokens.investigator2)).body.envelopes as any[];
    expect(investigatorList.every((e) => e.siteCode === 'B')).toBe(true);
    const hits: string[] = [];
    for (const { who, what, res } of blindedTexts) {
      expect(res.status).toBeLessThan(500);
      for (const h of leakHits(res.text, vocabulary)) hits.push(`${who} ${what}: ${h}`);
      for (const n of nonces) if (res.text.includes(n)) hits.push(`${who} ${what}: a nonce`);
    }
    expect(hits).toEqual([]);
    // the search can fail: the randomization statistician's list does carry arms
    expect(leakHits((await t.api.get('/api/envelopes', tokens.randstat)).text, vocabulary).length).toBeGreaterThan(0);
  });

  // Last: the CLI runs take seconds, long enough for the server to drop an idle keep-alive socket.
  it('[ENV-010] the audit chain verifies after the outage, and the offline replay re-derives every allocation', async () => {
    const verify = await t.api.get('/api/audit/verify', tokens.auditor);
    expect(verify.body.valid).toBe(true);
    const actions = ((await t.api.get('/api/audit?limit=500', tokens.auditor)).body.entries as any[]).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a === 'envelope.used')).toHaveLength(2);
    // The offline replay re-derives every allocation: online entries in order, envelopes in order, each from its list entry
    const db = t.config.database;
    const target = db.dialect === 'sqlite' ? ['--db', db.path] : ['--database-url', db.url];
    const out = execFileSync('node', [CLI_ENTRY, 'replay', ...target, '--json'], { encoding: 'utf8' });
    const report = JSON.parse(out);
    expect([report.allocations, report.mismatches]).toEqual([listLength, []]);
    // and the CLI's offline chain verification (with the key the server used) agrees
    const cli = execFileSync(
      'node',
      [CLI_ENTRY, 'audit', 'verify', ...target, '--key', join(first.dir, 'audit-signing.key'), '--json'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(cli).valid).toBe(true);
  });
});
