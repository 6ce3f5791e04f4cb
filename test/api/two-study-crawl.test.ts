/**
 * The two-study crawls (issue 16 "Must show"; docs/MULTI-STUDY.md decisions 5–6). Study A is the demo (the MSC
 * crossover, the instance's first study); study B is the 2:1 parallel example (protocols/parallel-2to1.yaml),
 * created through the signed route and staffed through its members routes. One person holds different roles in
 * each (the monitor: medical monitor in A, investigator at site A in B), some people are in B only.
 *
 * - The 404 crawl: every operation of the OpenAPI document under /api/studies/{studyCode}/, with B's code and B's
 *   real record ids (then random UUIDs), asked by every person who holds no role in B (the instance admins and the
 *   people who hold roles in A only): every answer is the unknown-study 404, nothing more in its body.
 * - The blinding crawl per study: every GET operation of each study, asked by every person blinded in that study,
 *   names no arm, product or sequence of EITHER protocol, nor a treatment code of the other study.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseProtocolOrThrow, type Protocol } from '../../shared/protocol/index.js';
import { blindedVocabulary, eligibleAnswers, leakHits, pool } from '../support/factories.js';
import { DEMO_PASSWORD, openRawDb, startTestApp, usingPostgres, type RawDb, type TestApp } from '../support/index.js';

const yaml = (file: string) => readFileSync(join(process.cwd(), 'protocols', file), 'utf8');
const sign = { signature: { password: DEMO_PASSWORD } };
const STUDY_ROOT = '/api/studies/{studyCode}/';
/**
 * Every study controller's first path segment (ms-foundation: each study-scoped controller is under
 * studies/:studyCode/): one missing from the document means a route the crawl would not ask.
 */
const STUDY_ROOTS = [
  'study',
  'participants',
  'pharmacy',
  'allocation-log',
  'unblinding-requests',
  'unblinding-register',
  'notifications',
  'exports',
  'envelopes',
  'audit',
  'signatures',
  'access-review',
  'members',
];
/** The floor of study operations in the document when this crawl was written (it only grows). */
const OPERATIONS_FLOOR = 60;

/**
 * The study routes the source declares (every controller under studies/:studyCode, each method decorator), as the
 * document writes them: the enumeration is checked against the code, so a route left out of the document fails.
 */
function declaredStudyRoutes(): string[] {
  const root = join(process.cwd(), 'server', 'src');
  const routes: string[] = [];
  for (const file of readdirSync(root, { recursive: true }) as string[]) {
    if (!file.endsWith('.controller.ts')) continue;
    const source = readFileSync(join(root, file), 'utf8');
    const controller = /@Controller\((?:studyRoute\((?:'([^']*)')?\)|'([^']*)')\)/.exec(source);
    if (!controller) continue;
    const prefix = controller[2] ?? (controller[1] ? `studies/:studyCode/${controller[1]}` : 'studies/:studyCode');
    if (!prefix.startsWith('studies/:studyCode')) continue;
    for (const m of source.matchAll(/@(Get|Post|Put|Patch|Delete)\((?:'([^']*)')?\)/g)) {
      const path = `/api/${prefix}${m[2] ? `/${m[2]}` : ''}`.replace(/:(\w+)/g, '{$1}');
      routes.push(`${m[1].toUpperCase()} ${path}`);
    }
  }
  return routes;
}

/** People who only exist in study B (copies of demo accounts with no role in study A). */
const B_ONLY: Array<[string, string]> = [
  ['pharmb', 'pharmacist'],
  ['invb', 'investigator2'],
];
/** Nobody of these holds a role in B: every route of B must be 404 to them. */
const OUTSIDERS = ['admin', 'admin2', 'statistician2', 'investigator1', 'investigator2', 'auditor'];
/** The blinded people of each study (the unblinded ones are pharmacist and randstat in A, pharmb and randstat in B). */
const BLINDED_A = ['admin', 'investigator1', 'investigator2', 'monitor', 'statistician', 'statistician2', 'auditor'];
const BLINDED_B = ['monitor', 'invb', 'pharmacist', 'statistician'];

type Operation = { method: string; path: string };

describe(`the two-study crawls (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let A: string;
  let B: string;
  let protocols: Protocol[];
  let operations: Operation[];
  const tokens: Record<string, string> = {};
  /** Real record ids of each study, by the path segment that precedes the parameter. */
  const ids: Record<'A' | 'B', Record<string, string>> = { A: {}, B: {} };
  const codes: Record<'A' | 'B', string[]> = { A: [], B: [] };

  const at = (code: string, rest: string) => `/api/studies/${code}${rest}`;

  /** Copies a demo account (password, second factor) under a new name, with no role in any study. */
  async function copyAccount(username: string, from: string) {
    const [row] = await raw.all('SELECT * FROM users WHERE username = ?', [from]);
    const replace: Record<string, string> = {
      id: `'crawl-${username}'`,
      username: `'${username}'`,
      email: `'${username}@test.local'`,
      display_name: `'${username}'`,
      created_by_id: 'NULL',
      credentials_by_id: 'NULL',
    };
    const columns = Object.keys(row);
    await raw.run(
      `INSERT INTO users (${columns.join(', ')}) SELECT ${columns.map((c) => replace[c] ?? c).join(', ')} FROM users WHERE username = ?`,
      [from],
    );
  }

  /** Gives a role in B through the members API; a sensitive one is approved by the second admin (signed). */
  async function member(username: string, role: string, siteCodes: string[] = []) {
    const given = await t.api.post(
      at(B, '/members'),
      { username, role, siteCodes, reason: 'staffing study B' },
      tokens.admin,
    );
    expect(given.status).toBe(200);
    if (given.body.status === 'held') {
      const decided = await t.api.post(
        `/api/role-grants/${given.body.grant.id}/decision`,
        { approve: true, comment: 'checked', ...sign },
        tokens.admin2,
      );
      expect([decided.status, decided.body.status]).toEqual([200, 'approved']);
    } else expect(given.body.status).toBe('granted');
  }

  async function register(code: string, token: string, site: string, answers: Record<string, unknown>) {
    const res = await t.api.post(
      at(code, '/participants'),
      { siteCode: site, screeningNumber: `CRAWL-${site}-${randomUUID().slice(0, 8)}`, ...answers },
      token,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function randomizeIn(code: string, token: string, id: string) {
    const res = await t.api.post(at(code, `/participants/${id}/randomize`), sign, token, {
      'idempotency-key': `crawl-${randomUUID()}`,
    });
    expect(res.status).toBe(201);
  }

  async function emergency(code: string, token: string, participantId: string) {
    const res = await t.api.post(
      at(code, '/unblinding-requests'),
      { participantId, reason: 'Anaphylaxis after the infusion', emergency: true, ...sign },
      token,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** A path of the document with its parameters filled: the study's real ids, or random UUIDs. */
  function fill(path: string, code: string, study: 'A' | 'B' | 'random') {
    return path.replace(/\{([^}]+)\}/g, (_, name: string, offset: number) => {
      if (name === 'studyCode') return code;
      if (study === 'random') return name === 'username' ? `nobody-${randomUUID().slice(0, 8)}` : randomUUID();
      const segment = path.slice(0, offset).split('/').filter(Boolean).pop() ?? '';
      return ids[study][segment] ?? ids[study][name] ?? ids[study].participants;
    });
  }

  /** Public text that names a product on purpose: the studies' codes and titles and the protocols' allowed phrases. */
  function withoutPublicText(text: string) {
    const phrases = protocols.flatMap((p) => [p.study.code, p.study.title, ...(p.blinding?.allowedPhrases ?? [])]);
    return phrases.sort((x, y) => y.length - x.length).reduce((s, phrase) => s.split(phrase).join(' '), text);
  }

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    protocols = [yaml('msct-ms.yaml'), yaml('parallel-2to1.yaml')].map((y) => parseProtocolOrThrow(y));
    await copyAccount('admin2', 'admin');
    for (const [username, from] of B_ONLY) await copyAccount(username, from);
    for (const u of [
      ...new Set([...OUTSIDERS, ...BLINDED_A, ...BLINDED_B, 'pharmacist', 'randstat', 'pharmb', 'monitor']),
    ])
      tokens[u] = await t.api.login(u);
    A = (await t.api.get('/api/study', tokens.auditor)).body.code;

    // Study B: created by the admin with its trial statistician's co-signature, staffed through its members routes.
    const made = await t.api.post(
      '/api/studies',
      {
        protocolYaml: yaml('parallel-2to1.yaml'),
        ...sign,
        secondSignature: { username: 'statistician', password: DEMO_PASSWORD },
      },
      tokens.admin,
    );
    expect(made.status).toBe(201);
    B = made.body.code;
    await member('monitor', 'investigator', ['A']);
    await member('invb', 'investigator', ['B']);
    await member('pharmacist', 'auditor');
    await member('randstat', 'randomization_statistician');
    await member('pharmb', 'pharmacist');

    // B's list, activated by its randomization statistician.
    const scheme = { method: 'permuted-block', params: { blockSizes: [3, 6] } };
    expect((await t.api.post(at(B, '/study/scheme'), scheme, tokens.randstat)).status).toBe(201);
    const reserved = await t.api.post(
      at(B, '/envelopes/reserve'),
      { siteCode: 'B', count: 1, ...sign },
      tokens.randstat,
    );
    expect(reserved.status).toBe(201);
    ids.B.envelopes = reserved.body.envelopes[0].id;
    expect((await t.api.post(at(B, '/study/activate'), sign, tokens.randstat)).status).toBe(200);

    // B: the monitor randomizes at site A, invb at site B; B's pharmacist dispenses; an emergency unblinding
    // (B's policy: break-the-glass, revealed at once).
    const parallel = { factors: {}, eligibility: { age: 40, edss: 4.5, active_infection: false } };
    const bA = await register(B, tokens.monitor, 'A', parallel);
    await randomizeIn(B, tokens.monitor, bA);
    const bB = await register(B, tokens.invb, 'B', parallel);
    await randomizeIn(B, tokens.invb, bB);
    const dispensed = await t.api.post(
      at(B, '/pharmacy/dispensations'),
      { participantId: bA, period: 1, lotNumber: 'LOT-CRAWL-B', ...sign },
      tokens.pharmb,
    );
    expect(dispensed.status).toBe(201);
    ids.B.participants = bA;
    ids.B['unblinding-requests'] = await emergency(B, tokens.monitor, bA);
    const revealed = await t.api.get(
      at(B, `/unblinding-requests/${ids.B['unblinding-requests']}/reveal`),
      tokens.monitor,
    );
    expect(revealed.status).toBe(200);

    // A: investigator1 randomizes; the pharmacist dispenses; an emergency unblinding the monitor decides (A's
    // policy: monitor approval).
    const aA = await register(A, tokens.investigator1, 'A', eligibleAnswers('RRMS', 4.5));
    await randomizeIn(A, tokens.investigator1, aA);
    const aDispensed = await t.api.post(
      at(A, '/pharmacy/dispensations'),
      { participantId: aA, period: 1, lotNumber: 'LOT-CRAWL-A', ...sign },
      tokens.pharmacist,
    );
    expect(aDispensed.status).toBe(201);
    ids.A.participants = aA;
    ids.A['unblinding-requests'] = await emergency(A, tokens.investigator1, aA);

    for (const [key, code] of [
      ['A', A],
      ['B', B],
    ] as const) {
      const signatures = (await t.api.get(at(code, '/signatures'), key === 'A' ? tokens.auditor : tokens.pharmacist))
        .body;
      if (Array.isArray(signatures) && signatures[0]?.id) ids[key].signatures = signatures[0].id;
      ids[key].members = key === 'A' ? 'investigator1' : 'monitor';
      ids[key].username = ids[key].members;
      codes[key] = (
        await raw.all('SELECT a.treatment_code FROM allocations a JOIN study s ON s.id = a.study_id WHERE s.code = ?', [
          code,
        ])
      ).map((r) => String(r.treatment_code));
    }

    const doc = (await t.api.get('/api/docs-json', tokens.admin)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith(STUDY_ROOT))
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((method) => ({ method: method.toUpperCase(), path })),
      );
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-010] one person, two roles: the monitor decides unblinding requests in A and randomizes at site A in B', async () => {
    const studies = Object.fromEntries(
      (await t.api.get('/api/studies', tokens.monitor)).body.map((s: { code: string; role: string }) => [
        s.code,
        s.role,
      ]),
    );
    expect(studies).toEqual({ [A]: 'medical_monitor', [B]: 'investigator' });
    const decided = await t.api.post(
      at(A, `/unblinding-requests/${ids.A['unblinding-requests']}/decision`),
      { approve: true, comment: 'approved for patient safety', ...sign },
      tokens.monitor,
    );
    expect(decided.status).toBeLessThan(300);
    // In B the monitor is an investigator: their own site's patients, no decisions.
    const listed = (await t.api.get(at(B, '/participants'), tokens.monitor)).body as Array<{ siteCode: string }>;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p) => p.siteCode === 'A')).toBe(true);
    const notHere = await t.api.post(
      at(B, `/unblinding-requests/${ids.B['unblinding-requests']}/decision`),
      { approve: true, comment: 'reviewed', ...sign },
      tokens.monitor,
    );
    expect(notHere.status).toBe(403);
    // The people of B only are in B only.
    for (const u of ['pharmb', 'invb']) {
      const mine = (await t.api.get('/api/studies', tokens[u])).body.map((s: { code: string }) => s.code);
      expect([u, mine]).toEqual([u, [B]]);
      expect((await t.api.get(at(A, '/study'), tokens[u])).status).toBe(404);
    }
  });

  it('[MS-010] the 404 crawl: every route of study B answers the unknown-study 404 to everyone without a role in B, 0 violations', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(OPERATIONS_FLOOR);
    const roots = new Set(operations.map((o) => o.path.slice(STUDY_ROOT.length).split(/[/?]/)[0]));
    expect(STUDY_ROOTS.filter((r) => !roots.has(r))).toEqual([]);
    const enumerated = new Set(operations.map((o) => `${o.method} ${o.path}`));
    const declared = declaredStudyRoutes();
    expect(declared.length).toBeGreaterThanOrEqual(OPERATIONS_FLOOR);
    expect(declared.filter((r) => !enumerated.has(r))).toEqual([]);
    // The answer for a study that does not exist: the crawl's answers must be this one, B's code in it.
    const unknown = await t.api.get('/api/studies/NO-SUCH-STUDY/study', tokens.auditor);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    const expectedKeys = JSON.stringify(Object.keys(unknown.body).sort());
    const written = async () =>
      (await raw.all('SELECT COUNT(*) AS n FROM audit_log'))[0].n +
      (await raw.all('SELECT COUNT(*) AS n FROM signatures'))[0].n;
    const before = await written();

    const violations: string[] = [];
    const calls: Array<() => Promise<void>> = [];
    /** Every operation of `code` asked by `u`, with the study's real ids and with random ones. */
    const crawl = (u: string, code: string, study: 'A' | 'B') => {
      const expectedMessage = String(unknown.body.message).replace('NO-SUCH-STUDY', code);
      const instanceAdmin = u === 'admin' || u === 'admin2';
      for (const op of operations) {
        // An instance admin manages any study's members without a role in it ([MS-007], @AdmitInstanceAdmin).
        if (instanceAdmin && op.path.startsWith(`${STUDY_ROOT}members`)) continue;
        for (const which of [study, 'random'] as const)
          calls.push(async () => {
            const path = fill(op.path, code, which);
            const body = op.method === 'GET' ? undefined : { reason: 'crawl', approve: true, comment: 'crawl' };
            const res = await t.api.request(op.method, path, { token: tokens[u], body });
            const keys = res.body && typeof res.body === 'object' ? JSON.stringify(Object.keys(res.body).sort()) : '';
            if (
              res.status !== 404 ||
              res.body.code !== 'NOT_FOUND' ||
              res.body.message !== expectedMessage ||
              keys !== expectedKeys
            )
              violations.push(`${u} ${op.method} ${path}: ${res.status} ${res.text.slice(0, 160)}`);
          });
      }
    };
    for (const u of OUTSIDERS) crawl(u, B, 'B');
    // The other way round: the people of B only find nothing of A, under its code and under the v1 paths.
    for (const [u] of B_ONLY) crawl(u, A, 'A');
    await pool(4, calls);
    for (const [u] of B_ONLY)
      for (const path of ['/api/study', '/api/participants', `/api/participants/${ids.A.participants}`])
        if ((await t.api.get(path, tokens[u])).status !== 404) violations.push(`${u} GET ${path} (v1 path of ${A})`);
    // The instance admins on the members routes: admitted (the one exception), no role in B all the same.
    for (const u of ['admin', 'admin2']) expect((await t.api.get(at(B, '/members'), tokens[u])).status).toBe(200);
    // Nothing was written by any of those calls (no audit entry, no signature).
    expect(await written()).toBe(before);
    console.log(
      `MS-010: ${operations.length} study operations (${roots.size} roots) × ${OUTSIDERS.length} people without a role in ${B} (+ ${B_ONLY.length} of ${B} only in ${A}): ${calls.length} calls, violations=${violations.length}`,
    );
    expect(violations).toEqual([]);
  });

  it("[MS-011] the blinding crawl holds per study: no blinded person sees an arm, product or sequence of either protocol, nor the other study's codes", async () => {
    const vocabulary = [...new Set(protocols.flatMap((p) => blindedVocabulary(p)))];
    const gets = operations.filter((o) => o.method === 'GET');
    const queries = ['', '?format=csv', '?limit=500'];
    const hits: string[] = [];
    const requester = { A: 'investigator1', B: 'monitor' };
    const requests: Array<() => Promise<void>> = [];
    const crawl = (study: 'A' | 'B', code: string, people: string[], extra: string[]) => {
      for (const u of people)
        for (const op of gets)
          for (const query of op.path.includes('{') ? [''] : queries) {
            // The reveal is the one unblinded answer, to its requester only (checked below); anyone else is refused.
            if (op.path.endsWith('/reveal') && u === requester[study]) continue;
            const path = fill(op.path, code, study) + query;
            requests.push(async () => {
              const res = await t.api.get(path, tokens[u]);
              if (res.status >= 500) hits.push(`${u} ${path}: ${res.status}`);
              for (const h of leakHits(withoutPublicText(res.text), [...vocabulary, ...extra]))
                hits.push(`${study} ${u} ${path}: ${h}`);
            });
          }
    };
    crawl('A', A, BLINDED_A, codes.B);
    crawl('B', B, BLINDED_B, codes.A);
    // Error bodies of writes too: randomizing a patient already randomized, dispensing without being the pharmacist.
    for (const [study, code, people, extra] of [
      ['A', A, BLINDED_A, codes.B],
      ['B', B, BLINDED_B, codes.A],
    ] as const)
      for (const u of people)
        requests.push(async () => {
          const participantId = ids[study].participants;
          for (const res of [
            await t.api.post(at(code, `/participants/${participantId}/randomize`), sign, tokens[u], {
              'idempotency-key': `crawl-leak-${randomUUID()}`,
            }),
            await t.api.post(
              at(code, '/pharmacy/dispensations'),
              { participantId, period: 2, lotNumber: 'LOT-LEAK', ...sign },
              tokens[u],
            ),
          ]) {
            if (res.status < 400) hits.push(`${study} ${u} write answered ${res.status}`);
            for (const h of leakHits(withoutPublicText(res.text), [...vocabulary, ...extra]))
              hits.push(`${study} ${u} write: ${h}`);
          }
        });
    await pool(4, requests);
    const writes = (BLINDED_A.length + BLINDED_B.length) * 2;
    const responses = requests.length - writes / 2 + writes;
    console.log(
      `MS-011: ${responses} responses (${writes} of them refused writes) of ${gets.length} GET operations to the blinded people of ${A} and ${B}, ${vocabulary.length} values + the other study's codes searched, hits=${hits.length}`,
    );
    expect(hits).toEqual([]);

    // The cross-study case: the pharmacist is unblinded in A (the check finds A's arms there) and blinded in B.
    const inA = await t.api.get(at(A, '/pharmacy/tasks'), tokens.pharmacist);
    expect(leakHits(withoutPublicText(inA.text), vocabulary).length).toBeGreaterThan(0);
    const inB = await t.api.get(at(B, '/allocation-log'), tokens.pharmacist);
    expect(leakHits(withoutPublicText(inB.text), [...vocabulary, ...codes.A])).toEqual([]);
    // B's reveal to its requester names B's arm (its fields are the point), never an arm or code of A's.
    const reveal = await t.api.get(
      at(B, `/unblinding-requests/${ids.B['unblinding-requests']}/reveal`),
      tokens.monitor,
    );
    const armsOfA = protocols[0].arms.flatMap((a) => [a.code, a.label]);
    expect(reveal.status).toBe(200);
    expect(leakHits(withoutPublicText(reveal.text), blindedVocabulary(protocols[1])).length).toBeGreaterThan(0);
    expect(
      leakHits(withoutPublicText(reveal.text), [...armsOfA, ...codes.A]).filter((h) => h.startsWith('value')),
    ).toEqual([]);
    // The search can fail: B's unblinded people do see B's arms.
    expect(
      leakHits(withoutPublicText((await t.api.get(at(B, '/allocation-log'), tokens.randstat)).text), vocabulary).length,
    ).toBeGreaterThan(0);
  });
});
