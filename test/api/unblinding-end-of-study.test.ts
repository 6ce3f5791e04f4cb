import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { generateScheme, schemeFingerprint, seedCommitment } from '../../shared/engine/index.js';
import { parseStratumKey } from '../../shared/protocol/index.js';
import { blindedVocabulary, demoProtocol, eligibleAnswers, leakHits, newParticipant } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { decide, parseCsv, randomizedPatient, requestUnblinding, signed } from './fixtures/unblinding-helpers.js';
import { CLI_ENTRY as CLI } from '../support/index.js';
import { processCpuMs } from '../support/process-cpu.js';

const COLUMNS = [
  'USUBJID',
  'SITEID',
  'RANDNO',
  'RANDDT',
  'ARMCD',
  'ARM',
  'ACTARMCD',
  'ACTARM',
  'TRTSEQP',
  'TRT01P',
  'TRT02P',
  'COURSE',
  'EDSS',
];

function cli(args: string[]): { code: number; out: string; err: string } {
  try {
    return {
      code: 0,
      out: execFileSync('node', [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
      err: '',
    };
  } catch (e: any) {
    return { code: e.status, out: String(e.stdout), err: String(e.stderr) };
  }
}

describe('end of study: lock, two-statistician unblinding, CDISC export, released seed', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const vocabulary = blindedVocabulary(demoProtocol());
  const patients: string[] = [];
  let eligible: string;
  let pending: string;
  let dbArgs: string[];

  beforeAll(async () => {
    // Production argon2 cost: a test below compares the time of co-signature verifications.
    t = await startTestApp({}, { argon2: 'production' });
    for (const u of [
      'admin',
      'investigator1',
      'investigator2',
      'pharmacist',
      'monitor',
      'statistician',
      'statistician2',
      'randstat',
      'auditor',
    ])
      tokens[u] = await t.api.login(u);
    for (let i = 0; i < 3; i++) patients.push(await randomizedPatient(t.api, tokens.investigator1, 'A'));
    for (let i = 0; i < 2; i++) patients.push(await randomizedPatient(t.api, tokens.investigator2, 'B'));
    for (const period of [1, 2]) {
      const d = await t.api.post(
        '/api/pharmacy/dispensations',
        { participantId: patients[0], period, lotNumber: `LOT-${period}`, ...signed() },
        tokens.pharmacist,
      );
      expect(d.status).toBe(201);
    }
    expect(
      (
        await t.api.post(
          '/api/pharmacy/dispensations',
          { participantId: patients[3], period: 1, lotNumber: 'LOT-B1', ...signed() },
          tokens.pharmacist,
        )
      ).status,
    ).toBe(201);
    eligible = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
    pending = (await requestUnblinding(t.api, tokens.investigator1, patients[1])).body.id;
    dbArgs = usingPostgres
      ? ['--database-url', (t.config.database as any).url]
      : ['--db', (t.config.database as any).path];
  });
  afterAll(async () => t.close());

  it('nothing of the end of study is open while the study is active [UNBL-007]', async () => {
    const early = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    // The study lifecycle table: unblinding needs a locked study (409 STUDY_NOT_LOCKED); what exists only after it says so.
    expect([early.status, early.body.code]).toEqual([409, 'STUDY_NOT_LOCKED']);
    expect((await t.api.get('/api/exports/cdisc', tokens.statistician)).body.code).toBe('STUDY_NOT_UNBLINDED');
    expect((await t.api.get('/api/study/scheme/release', tokens.statistician)).body.code).toBe('STUDY_NOT_UNBLINDED');
    expect(cli(['export', 'cdisc', ...dbArgs]).code).toBe(1);
  });

  it('lock is signed by a statistician; afterwards every mutating endpoint answers STUDY_NOT_ACTIVE [UNBL-008]', async () => {
    expect((await t.api.post('/api/study/lock', signed(), tokens.investigator1)).status).toBe(403);
    expect((await t.api.post('/api/study/lock', signed('wrong-password'), tokens.statistician)).body.code).toBe(
      'SIGNATURE_INVALID',
    );
    expect((await t.api.get('/api/study', tokens.auditor)).body.status).toBe('active');
    const locked = await t.api.post(
      '/api/study/lock',
      { ...signed(), reason: 'Last patient, last visit; data cleaned' },
      tokens.statistician,
    );
    expect(locked.status).toBe(200);
    expect(locked.body).toMatchObject({ status: 'locked', lockedAt: expect.stringMatching(/Z$/) });
    expect((await t.api.post('/api/study/lock', signed(), tokens.statistician)).body.code).toBe('STUDY_NOT_ACTIVE');

    const attempts: Array<[string, () => Promise<{ status: number; body: any }>]> = [
      [
        'register',
        () =>
          t.api.post(
            '/api/participants',
            { siteCode: 'A', screeningNumber: 'A-LATE', ...eligibleAnswers() },
            tokens.investigator1,
          ),
      ],
      [
        'randomize',
        () =>
          t.api.post(`/api/participants/${eligible}/randomize`, signed(), tokens.investigator1, {
            'idempotency-key': 'after-lock-0001',
          }),
      ],
      [
        'correct',
        () =>
          t.api.post(
            `/api/participants/${patients[0]}/corrections`,
            { field: 'age', newValue: 40, reason: 'late correction', ...signed() },
            tokens.investigator1,
          ),
      ],
      [
        'dispense',
        () =>
          t.api.post(
            '/api/pharmacy/dispensations',
            { participantId: patients[1], period: 1, lotNumber: 'LOT-LATE', ...signed() },
            tokens.pharmacist,
          ),
      ],
      ['request unblinding', () => requestUnblinding(t.api, tokens.investigator2, patients[3])],
      ['decide unblinding', () => decide(t.api, tokens.monitor, pending, true)],
    ];
    for (const [name, call] of attempts) {
      const res = await call();
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 409,
        code: 'STUDY_NOT_ACTIVE',
      });
    }
    const inbox = (await t.api.get('/api/notifications', tokens.investigator1)).body;
    expect(inbox.items.some((n: any) => n.kind === 'study.locked' && /locked/.test(n.title))).toBe(true);
    const entry = (await t.api.get('/api/audit?action=study.locked', tokens.auditor)).body.entries[0];
    expect(entry).toMatchObject({
      actor: 'statistician',
      reason: expect.stringContaining('Last patient'),
      details: { pendingUnblindingRequests: 1, signature: { printedName: 'Stella Statistician' } },
    });
  });

  it('unblinding needs two different statisticians: one signature or the same one twice is refused; unknown name, wrong role and wrong password answer alike [UNBL-007, ESIG-001]', async () => {
    const url = '/api/study/unblind';
    expect((await t.api.post(url, signed(), tokens.statistician)).status).toBe(400);
    const same = await t.api.post(
      url,
      { ...signed(), secondSignature: { username: 'statistician', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect([same.status, same.body.code]).toEqual([403, 'FORBIDDEN']);
    // An unknown name, a role that may not co-sign (with its right password) and a wrong password get
    // one answer — status, code, message — in about the same time (each pays one argon2 verification).
    const probes: Array<[string, string, string]> = [
      ['unknown user', 'nobody-at-all', 'wrong-password'],
      ['wrong role', 'auditor', DEMO_PASSWORD],
      ['wrong password', 'statistician2', 'wrong-password'],
    ];
    const answers: Array<{ label: string; status: number; body: unknown; ms: number; cpu: number }> = [];
    const pid = t.child.pid!;
    for (let round = 0; round < 2; round++) {
      for (const [label, username, password] of probes) {
        const started = performance.now();
        const cpuBefore = processCpuMs(pid);
        const res = await t.api.post(
          url,
          { ...signed(), secondSignature: { username, password } },
          tokens.statistician,
        );
        const cpu = processCpuMs(pid) - cpuBefore;
        answers.push({ label, status: res.status, body: res.body, ms: performance.now() - started, cpu });
      }
    }
    // details: whose password failed (the co-signer's) and the attempts left, counted alike for every name (round 1: 4, round 2: 3)
    for (const [i, a] of answers.entries()) {
      const details = { signer: 'cosigner', attemptsRemaining: 4 - Math.floor(i / probes.length) };
      expect({ label: a.label, status: a.status, body: a.body }).toEqual({
        label: a.label,
        status: 401,
        body: {
          statusCode: 401,
          code: 'SIGNATURE_INVALID',
          message: 'The second signature is not valid. Nothing was changed.',
          details,
        },
      });
    }
    // Compared by the server's CPU time per answer (process-cpu.ts), not by wall time: each answer pays argon2 for the
    // signed-in statistician and once more for the co-signer (a real hash, or the dummy for an unknown name), and CPU
    // time counts that work whatever the load. Wall time on the shared CI machine did not: fastest-of-two answers of
    // 128, 436 and 251 ms failed a 3x bound once. Each name's smallest figure is kept (a stray timer only adds).
    const least = (label: string, key: 'ms' | 'cpu') =>
      Math.min(...answers.filter((a) => a.label === label).map((a) => a[key]));
    const cpu = probes.map(([label]) => least(label, 'cpu'));
    console.log(
      `co-signature work, least of 2: ${probes.map(([label], i) => `${label} ${cpu[i].toFixed(1)} ms CPU (${least(label, 'ms').toFixed(0)} ms wall)`).join(', ')}`,
    );
    // Without the dummy verification an unknown name costs one argon2 verification instead of two: about half.
    expect(Math.max(...cpu) / Math.min(...cpu)).toBeLessThan(1.5);
    expect(
      (
        await t.api.post(
          url,
          { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
          tokens.investigator1,
        )
      ).status,
    ).toBe(403);
    // the randomization statistician holds the code and takes no part in the end-of-study unblinding
    expect(
      (
        await t.api.post(
          url,
          { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
          tokens.randstat,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await t.api.post(
          url,
          { ...signed(), secondSignature: { username: 'randstat', password: DEMO_PASSWORD } },
          tokens.statistician,
        )
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await t.api.get('/api/study', tokens.statistician)).body.status).toBe('locked');

    const ok = await t.api.post(
      url,
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'unblinded', unblindedAt: expect.stringMatching(/Z$/) });
    const again = await t.api.post(
      url,
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect([again.status, again.body.code]).toEqual([409, 'STUDY_NOT_LOCKED']);

    const entry = (await t.api.get('/api/audit?action=study.unblinded', tokens.auditor)).body.entries[0];
    expect(entry.details.changes.status).toEqual({ old: 'locked', new: 'unblinded' });
    expect(entry.details.signatures.map((s: any) => s.signerUsername)).toEqual(['statistician', 'statistician2']);
    const register = (await t.api.get('/api/unblinding-register', tokens.auditor)).body.filter(
      (r: any) => r.kind === 'end-of-study',
    );
    expect(register.map((r: any) => [r.seenBy, r.scope])).toEqual([
      ['statistician', 'every participant'],
      ['statistician2', 'every participant'],
    ]);
    expect((await t.api.get('/api/notifications', tokens.statistician2)).body.items[0].kind).toBe('study.unblinded');
    // the blind of the blinded roles is not lifted by the end-of-study release
    for (const u of ['investigator1', 'monitor', 'auditor']) {
      expect(leakHits((await t.api.get('/api/participants', tokens[u])).text, vocabulary)).toEqual([]);
    }
  });

  it('the CDISC export has exactly its documented columns and agrees with the allocation log [EXP-002]', async () => {
    for (const u of ['auditor', 'investigator1', 'monitor', 'pharmacist', 'randstat'])
      expect((await t.api.get('/api/exports/cdisc', tokens[u])).status).toBe(403);
    const res = await t.api.get('/api/exports/cdisc', tokens.statistician);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(COLUMNS);
    const log = (await t.api.get('/api/allocation-log', tokens.statistician)).body;
    expect(rows).toHaveLength(log.length);
    expect(log).toHaveLength(5);
    const protocol = demoProtocol();
    const dispensed = new Set([patients[0], patients[3]]);
    rows.forEach((cells, i) => {
      const r = Object.fromEntries(header.map((h, j) => [h, cells[j]]));
      const l = log[i];
      const arm = protocol.arms.find((a) => a.code === l.arm)!;
      const levels = parseStratumKey(l.stratum);
      expect(r).toEqual({
        USUBJID: `MSCT-MS-${l.siteCode}-${l.screeningNumber}`,
        SITEID: l.siteCode,
        RANDNO: String(l.randomizationNumber),
        RANDDT: l.randomizedAt.slice(0, 10),
        ARMCD: l.arm,
        ARM: arm.label,
        ACTARMCD: dispensed.has(l.participantId) ? l.arm : 'NOTTRT',
        ACTARM: dispensed.has(l.participantId) ? arm.label : 'Not Treated',
        TRTSEQP: arm.products.join('-'),
        TRT01P: arm.products[0],
        TRT02P: arm.products[1],
        COURSE: levels.course,
        EDSS: levels.edss,
      });
    });
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
    const offline = cli(['export', 'cdisc', ...dbArgs]);
    expect(offline.code).toBe(0);
    expect(offline.out).toBe(res.text);
    expect((await t.api.get('/api/audit?action=export.cdisc', tokens.auditor)).body.entries[0].details.rows).toBe(5);
  });

  it('the released seed regenerates the list whose fingerprint was published at activation [UNBL-010]', async () => {
    for (const u of ['auditor', 'investigator1', 'monitor'])
      expect((await t.api.get('/api/study/scheme/release', tokens[u])).status).toBe(403);
    const released = (await t.api.get('/api/study/scheme/release', tokens.statistician)).body;
    const published = (await t.api.get('/api/study', tokens.auditor)).body.listFingerprint;
    expect(released).toMatchObject({
      studyCode: 'MSCT-MS',
      publishedFingerprint: published,
      fingerprint: published,
      seed: expect.any(String),
    });
    expect(seedCommitment(released.seed, 'MSCT-MS', released.salt)).toBe(released.seedCommitment);
    expect(seedCommitment(released.seed, 'MSCT-MS')).not.toBe(released.seedCommitment); // salted: the seed alone cannot be tested
    const regenerated = generateScheme(demoProtocol(), {
      method: released.method,
      params: released.params,
      seed: released.seed,
      salt: released.salt,
      siteCodes: released.siteCodes,
      listLength: released.listLength ?? undefined,
      live: released.live,
    });
    expect(schemeFingerprint(regenerated)).toBe(published);
    const wrongSeed = generateScheme(demoProtocol(), {
      method: released.method,
      params: released.params,
      seed: `${released.seed}x`,
      salt: released.salt,
      siteCodes: released.siteCodes,
      listLength: released.listLength ?? undefined,
      live: released.live,
    });
    expect(schemeFingerprint(wrongSeed)).not.toBe(published);
  });

  it('the CLI prints the unblinding register [UNBL-009]', async () => {
    expect((await t.api.get('/api/unblinding-requests', tokens.auditor)).body).toHaveLength(1);
    const out = cli(['unblinding', 'register', ...dbArgs, '--json']);
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.out);
    expect(rows.map((r: any) => [r.kind, r.seenBy])).toEqual([
      ['end-of-study', 'statistician'],
      ['end-of-study', 'statistician2'],
    ]);
    const csv = cli(['unblinding', 'register', ...dbArgs]);
    expect(csv.out.split('\n')[0]).toBe(
      'at,kind,participantId,screeningNumber,siteCode,scope,requestId,seenBy,seenByName,role,reason',
    );
    expect(leakHits(csv.out, vocabulary)).toEqual([]);
  });
});
