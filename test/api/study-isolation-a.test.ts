/**
 * Two studies in one instance, allocation side (docs/MULTI-STUDY.md step 3): the demo crossover trial
 * (study 1) and the 2:1 parallel example (protocols/parallel-2to1.yaml) as study 2, each with its own
 * scheme, patients and allocations. Everything is asked through the studies' scoped routes, and each
 * answer must hold its own study's records only: numbering, lists, the allocation log and its CSV,
 * pharmacy tasks, the CDISC export, the study's signatures; a patient id of one study is 404 under the
 * other. Study 2 is created through the signed creation route (admin + trial statistician); the other
 * roles in it are written directly (the members API has its own tests).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eligibleAnswers } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';

const sign = { signature: { password: DEMO_PASSWORD } };
/** Study 2's other roles (study_roles rows; its creation made `statistician` its trial statistician). */
const SECOND_ROLES: Array<[string, string, string[]]> = [
  ['randstat', 'randomization_statistician', []],
  ['investigator1', 'investigator', ['A']],
  ['pharmacist', 'pharmacist', []],
  ['auditor', 'auditor', []],
  ['statistician2', 'statistician', []],
  // An investigator at site B in study 1, at site A in study 2: sites are per study too.
  ['investigator2', 'investigator', ['A']],
];

describe(`study isolation, allocation side (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let first: string;
  let second: string;
  const tokens: Record<string, string> = {};
  const ids: Record<'first' | 'second', string[]> = { first: [], second: [] };
  let serial = 0;
  let envelopeIds: string[] = [];

  const path = (code: string, rest: string) => `/api/studies/${code}${rest}`;

  async function register(code: string, token: string, site: string, answers: Record<string, unknown>) {
    const res = await t.api.post(
      path(code, '/participants'),
      { siteCode: site, screeningNumber: `ISO-${++serial}`, ...answers },
      token,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  const randomizeIn = (code: string, token: string, id: string, key: string) =>
    t.api.post(path(code, `/participants/${id}/randomize`), sign, token, { 'idempotency-key': key });

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of ['admin', 'randstat', 'investigator1', 'investigator2', 'pharmacist', 'auditor', 'statistician'])
      tokens[u] = await t.api.login(u);
    first = (await t.api.get('/api/study', tokens.auditor)).body.code;
    const created = await t.api.post(
      '/api/studies',
      {
        protocolYaml: readFileSync(join(process.cwd(), 'protocols', 'parallel-2to1.yaml'), 'utf8'),
        signature: { password: DEMO_PASSWORD },
        secondSignature: { username: 'statistician', password: DEMO_PASSWORD },
      },
      tokens.admin,
    );
    expect(created.status).toBe(201);
    second = created.body.code;
    const [{ id: secondId }] = await raw.all('SELECT id FROM study WHERE code = ?', [second]);
    const now = new Date().toISOString();
    for (const [username, role, sites] of SECOND_ROLES)
      await raw.run(
        `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
         SELECT ?, ?, id, ?, ?, 'test', ? FROM users WHERE username = ?`,
        [`iso-${username}`, Number(secondId), role, JSON.stringify(sites), now, username],
      );
    // Study 2's own list, activated by its randomization statistician through its routes.
    const generated = await t.api.post(
      path(second, '/study/scheme'),
      { method: 'permuted-block', params: { blockSizes: [3, 6] } },
      tokens.randstat,
    );
    expect(generated.status).toBe(201);
    // Two downtime envelopes for site A, reserved in set-up from the tail of study 2's list.
    const reserved = await t.api.post(
      path(second, '/envelopes/reserve'),
      { siteCode: 'A', count: 2, ...sign },
      tokens.randstat,
    );
    expect(reserved.body.reserved).toEqual([1, 2]);
    envelopeIds = reserved.body.envelopes.map((e: { id: string }) => e.id);
    expect((await t.api.post(path(second, '/study/activate'), sign, tokens.randstat)).status).toBe(200);

    // Two patients randomized in each study, interleaved (study 1: the demo's site A investigator).
    const parallel = { factors: {}, eligibility: { age: 40, edss: 4.5, active_infection: false } };
    for (let i = 0; i < 2; i++) {
      ids.first.push(await register(first, tokens.investigator1, 'A', eligibleAnswers('RRMS', 4.5)));
      ids.second.push(await register(second, tokens.investigator1, 'A', parallel));
    }
    for (const [i, id] of ids.first.entries())
      expect((await randomizeIn(first, tokens.investigator1, id, `iso-first-${i}-key`)).status).toBe(201);
    for (const [i, id] of ids.second.entries())
      expect((await randomizeIn(second, tokens.investigator1, id, `iso-second-${i}-key`)).status).toBe(201);
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-004] each study numbers its own randomizations and uses its own list', async () => {
    const log = async (code: string) =>
      (await t.api.get(path(code, '/allocation-log'), tokens.randstat)).body as Array<Record<string, unknown>>;
    const a = await log(first);
    const b = await log(second);
    expect(b.map((r) => r.randomizationNumber)).toEqual([1, 2]);
    expect(a.map((r) => r.randomizationNumber)).toEqual(a.map((_, i) => i + 1));
    expect(a.map((r) => r.participantId)).toEqual(expect.arrayContaining(ids.first));
    // Study 2's codes and arms are its protocol's (prefix P-, arms MSC/PBO), never the crossover's.
    expect(b.every((r) => String(r.treatmentCode).startsWith('P-'))).toBe(true);
    expect(new Set(b.map((r) => r.arm))).not.toContain('MSC-PBO');
    const scheme = (await t.api.get(path(second, '/study'), tokens.randstat)).body;
    expect(scheme).toMatchObject({ code: second, status: 'active' });
    expect((await t.api.get(path(first, '/study'), tokens.randstat)).body.code).toBe(first);
  });

  it("[MS-004] lists, logs and their CSV exports of one study never show the other's rows", async () => {
    for (const [code, mine, theirs] of [
      [first, ids.first, ids.second],
      [second, ids.second, ids.first],
    ] as const) {
      const listed = (await t.api.get(path(code, '/participants'), tokens.investigator1)).body.map(
        (p: { id: string }) => p.id,
      );
      expect(listed).toEqual(expect.arrayContaining([...mine]));
      for (const id of theirs) expect(listed).not.toContain(id);
      const log = (await t.api.get(path(code, '/allocation-log'), tokens.auditor)).body.map(
        (r: { participantId: string }) => r.participantId,
      );
      expect(log).toEqual(expect.arrayContaining([...mine]));
      const csv = await t.api.get(path(code, '/allocation-log?format=csv'), tokens.auditor);
      expect(csv.status).toBe(200);
      for (const id of theirs) {
        expect(log).not.toContain(id);
        expect(csv.text).not.toContain(id);
      }
    }
    // investigator2 holds site B in study 1 and site A in study 2: each list follows that study's sites.
    const own = async (code: string) =>
      (await t.api.get(path(code, '/participants'), tokens.investigator2)).body.map((p: { id: string }) => p.id);
    expect(await own(second)).toEqual(expect.arrayContaining(ids.second));
    for (const id of ids.first) expect(await own(first)).not.toContain(id);
  });

  it("[MS-004] a patient id of study 2 is 404 under study 1's routes, for reads and writes alike", async () => {
    const foreign = ids.second[0];
    const inv = tokens.investigator1;
    expect((await t.api.get(path(second, `/participants/${foreign}`), inv)).status).toBe(200);
    const read = await t.api.get(path(first, `/participants/${foreign}`), inv);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('NOT_FOUND');
    // Registered but not randomized in study 2: randomizing it from study 1 finds no such patient.
    const fresh = await register(second, inv, 'A', {
      factors: {},
      eligibility: { age: 30, edss: 3.5, active_infection: false },
    });
    expect((await randomizeIn(first, inv, fresh, 'iso-cross-randomize')).status).toBe(404);
    const correction = await t.api.post(
      path(first, `/participants/${foreign}/corrections`),
      { field: 'randomizedInError', newValue: true, reason: 'cross-study probe', ...sign },
      inv,
    );
    expect(correction.status).toBe(404);
    const dispense = await t.api.post(
      path(first, '/pharmacy/dispensations'),
      { participantId: foreign, period: 1, lotNumber: 'LOT-X', ...sign },
      tokens.pharmacist,
    );
    expect(dispense.status).toBe(404);
    // Nothing was written to study 2's patient by those attempts.
    const after = (await t.api.get(path(second, `/participants/${foreign}`), inv)).body;
    expect(after.randomizedInError).toBe(false);
    const [row] = await raw.all('SELECT COUNT(*) AS n FROM dispensations WHERE participant_id = ?', [foreign]);
    expect(Number(row.n)).toBe(0);
  });

  it('[MS-004] an idempotency key used in one study is refused in the other, never replayed there', async () => {
    const res = await randomizeIn(second, tokens.investigator1, ids.second[1], 'iso-first-0-key');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key in its own study replays the study's own answer.
    const replay = await randomizeIn(first, tokens.investigator1, ids.first[0], 'iso-first-0-key');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it("[MS-004] a study's downtime envelopes are listed, printed, voided and entered only in that study", async () => {
    const listed = async (code: string) =>
      (await t.api.get(path(code, '/envelopes'), tokens.randstat)).body.envelopes.map((e: { id: string }) => e.id);
    expect(await listed(second)).toEqual(envelopeIds);
    for (const id of envelopeIds) expect(await listed(first)).not.toContain(id);
    const print = await t.api.post(
      path(first, '/envelopes/print'),
      { copy: 'pharmacy', envelopeIds: [envelopeIds[0]] },
      tokens.randstat,
    );
    expect(print.status).toBe(404);
    const voided = await t.api.post(
      path(first, '/envelopes/void'),
      { envelopeIds: [envelopeIds[0]], reason: 'cross-study probe', ...sign },
      tokens.randstat,
    );
    expect(voided.status).toBe(404);
    // Entering study 2's envelope 1 for a study 1 patient: study 1 has no such envelope.
    const sheet = await t.api.post(
      path(second, '/envelopes/print'),
      { copy: 'investigator', envelopeIds: [envelopeIds[0]] },
      tokens.investigator1,
    );
    expect(sheet.status).toBe(200);
    const patient = await register(first, tokens.investigator1, 'A', eligibleAnswers('RRMS', 4.5));
    const entered = await t.api.post(
      path(first, '/envelopes/reconcile'),
      {
        participantId: patient,
        envelopeNumber: 1,
        treatmentCode: sheet.body.sheets[0].treatmentCode,
        openedAt: new Date(Date.now() - 60_000).toISOString(),
        openedBy: 'Dr Probe',
        ...sign,
      },
      tokens.investigator1,
      { 'idempotency-key': 'iso-cross-envelope' },
    );
    expect(entered.body.code).toBe('ENVELOPE_UNKNOWN');
    const [row] = await raw.all('SELECT status, print_count FROM envelopes WHERE id = ?', [envelopeIds[0]]);
    expect(row).toMatchObject({ status: 'reserved' });
    expect(Number(row.print_count)).toBe(1);
  });

  it('[MS-004] pharmacy tasks are per study', async () => {
    const tasks = async (code: string) =>
      (await t.api.get(path(code, '/pharmacy/tasks'), tokens.pharmacist)).body as Array<{
        participantId: string;
        period: number;
        product: string;
      }>;
    const a = await tasks(first);
    const b = await tasks(second);
    // Study 2 is a one-period parallel design: one task per patient, products from its own protocol.
    expect(b.map((x) => x.participantId).sort()).toEqual([...ids.second].sort());
    expect(new Set(b.map((x) => x.period))).toEqual(new Set([1]));
    for (const id of ids.second) expect(a.map((x) => x.participantId)).not.toContain(id);
    for (const id of ids.first) expect(a.map((x) => x.participantId)).toContain(id);
    // A dispensation in study 2 shows in study 2's tasks only.
    const done = await t.api.post(
      path(second, '/pharmacy/dispensations'),
      { participantId: ids.second[0], period: 1, lotNumber: 'LOT-ISO-1', ...sign },
      tokens.pharmacist,
    );
    expect(done.status).toBe(201);
    expect((await tasks(second)).find((x) => x.participantId === ids.second[0])?.product).toBeDefined();
    expect((await tasks(first)).some((x) => (x as { lotNumber?: string }).lotNumber === 'LOT-ISO-1')).toBe(false);
  });

  it("[MS-004] one study's lock, unblinding, signatures and CDISC export leave the other as it was", async () => {
    const stat = tokens.statistician;
    // Study 2: two randomized patients, one dispensed (the not randomized one has no task); study 1's are not counted.
    expect((await t.api.get(path(second, '/study/lock-summary'), stat)).body.undispensed).toHaveLength(1);
    expect((await t.api.post(path(second, '/study/lock'), sign, stat)).status).toBe(200);
    const unblinded = await t.api.post(
      path(second, '/study/unblind'),
      { ...sign, secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      stat,
    );
    expect(unblinded.status).toBe(200);
    expect((await t.api.get(path(first, '/study'), stat)).body.status).toBe('active');
    // Study 1's signatures show none of study 2's acts.
    const sigFirst = (await t.api.get(path(first, '/study/signatures'), stat)).body;
    const sigSecond = (await t.api.get(path(second, '/study/signatures'), stat)).body;
    expect(sigFirst.lock).toBeNull();
    expect(sigFirst.unblinding).toEqual([]);
    expect(sigSecond.lock).not.toBeNull();
    expect(sigSecond.unblinding).toHaveLength(2);
    // Study 2's CDISC export holds its two randomized patients, under its own code; study 1 still refuses.
    const cdisc = await t.api.get(path(second, '/exports/cdisc'), stat);
    expect(cdisc.status).toBe(200);
    const lines = cdisc.text.trim().split('\n');
    expect(lines).toHaveLength(1 + ids.second.length);
    expect(lines.slice(1).every((l) => l.includes(`${second}-A-`))).toBe(true);
    expect(cdisc.text).not.toContain(first);
    expect((await t.api.get(path(first, '/exports/cdisc'), stat)).status).toBe(409);
    // The released scheme is study 2's, and study 1 still keeps its seed.
    const released = (await t.api.get(path(second, '/study/scheme/release'), tokens.randstat)).body;
    expect(released).toMatchObject({ studyCode: second, version: 1 });
    expect((await t.api.get(path(first, '/study/scheme/release'), tokens.randstat)).status).toBe(409);
  });
});
