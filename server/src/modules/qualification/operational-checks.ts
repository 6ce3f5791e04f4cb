/**
 * Operational qualification: the running build exercised over HTTP on a throwaway qualification
 * study (throwaway-instance.ts), never on production data. One instance per unblinding policy
 * (the policy is fixed by the protocol at the first start); the first one also runs the
 * concurrency, replay, blinding-crawl, export and tamper checks. Every instance is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/config.js';
import { directOptions } from '../../database/data-sources.js';
import { withConnection } from '../../database/driver.js';
import type { UnblindingPolicy } from '../../../../shared/contract.js';
import { isBlindedAt, type Role } from '../../../../shared/roles.js';
import { HttpClient, type HttpResponse } from './http-client.js';
import { SecondFactorClient } from '../auth/second-factor-client.js';
import { base32Decode } from '../auth/totp.js';
import { DEMO_TOTP_SECRET } from '../demo/demo-seed.js';
import {
  blindedVocabulary,
  eligibleScreening,
  leakHits,
  loadProtocol,
  parseCsv,
  QUALIFICATION_USERS,
} from './qualification-study.js';
import type { CheckResult } from './report.js';
import { QUAL } from './requirements.js';
import { checkText } from './texts.js';
import type { Locale } from '../../../../shared/i18n/catalogue.js';
import { QUALIFICATION_PROTOCOL, startThrowaway, type AppFactory, type Throwaway } from './throwaway-instance.js';

type Observation = { observed: string; pass: boolean };

class Session {
  readonly http: HttpClient;
  tokens: Record<string, string> = {};
  roles: Record<string, Role> = {};
  private serial = 0;
  readonly run = randomBytes(4).toString('hex');

  constructor(readonly t: Throwaway) {
    // The throwaway study's demo accounts have the demo second factor (demo-seed.ts).
    const demoSecret = base32Decode(DEMO_TOTP_SECRET);
    this.http = new HttpClient(t.baseUrl, new SecondFactorClient(() => demoSecret));
  }

  async signIn(): Promise<void> {
    for (const u of QUALIFICATION_USERS) {
      const res = await this.http.secondFactor!.signIn((p, b, t) => this.http.post(p, b, t), u, this.t.password);
      if (res.status !== 200) throw new Error(`sign-in of ${u} failed: ${res.status}`);
      this.tokens[u] = res.body.accessToken;
      this.roles[u] = res.body.user.role;
    }
  }

  get signature() {
    return { signature: { password: this.t.password } };
  }

  async participant(site = 'A', course: 'RRMS' | 'SPMS' | 'PPMS' = 'RRMS', edss = 4.5): Promise<string> {
    const token = this.tokens[site === 'A' ? 'investigator1' : 'investigator2'];
    const res = await this.http.post(
      '/api/participants',
      eligibleScreening(site, `Q${this.run}-${++this.serial}`, course, edss),
      token,
    );
    if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.body?.code ?? ''}`);
    return res.body.id;
  }

  randomize(participantId: string, key: string | null, site = 'A'): Promise<HttpResponse> {
    const token = this.tokens[site === 'A' ? 'investigator1' : 'investigator2'];
    return this.http.post(
      `/api/participants/${participantId}/randomize`,
      this.signature,
      token,
      key ? { 'idempotency-key': key } : {},
    );
  }

  key(label: string): string {
    return `qualification-${this.run}-${label}-${++this.serial}`;
  }

  /** The allocation log as the randomization statistician (unblinded) sees it. */
  async allocations(): Promise<Array<{ participantId: string; randomizationNumber: number; arm?: string }>> {
    const res = await this.http.get('/api/allocation-log', this.tokens.randstat);
    if (res.status !== 200) throw new Error(`allocation log: ${res.status}`);
    return res.body;
  }
}

/** The report's language for check texts, set per run (one run at a time per process: the service's guard). */
let runLocale: Locale = 'en';

function check(id: string, requirements: string[], run: () => Promise<Observation>): Promise<CheckResult> {
  const texts = checkText(id, runLocale);
  return run()
    .catch((err: Error): Observation => ({ observed: `error: ${err.message.split('\n')[0]}`, pass: false }))
    .then((o) => ({ id, stage: 'operational' as const, requirements, ...texts, observed: o.observed, pass: o.pass }));
}

const MAIN_CHECKS = [
  'OQ-EXACTLY-ONCE',
  'OQ-IDEMPOTENT-REPLAY',
  'OQ-UNBLINDING-MONITOR-APPROVAL',
  'OQ-BLINDING-CRAWL',
  'OQ-EXPORTS',
  'OQ-TAMPER',
];

export async function operationalChecks(
  createApp: AppFactory,
  base: AppConfig,
  locale: Locale,
): Promise<CheckResult[]> {
  runLocale = locale;
  const results: CheckResult[] = [];
  const places: string[] = [];
  let t: Throwaway | null = null;
  try {
    t = await startThrowaway(createApp, base);
    places.push(describePlace(t));
    results.push(...(await mainScenario(t)));
  } catch (err) {
    for (const id of MAIN_CHECKS.filter((c) => !results.some((r) => r.id === c))) {
      results.push({
        id,
        stage: 'operational',
        requirements: requirementsOf(id),
        ...checkText(id, locale),
        observed: `the qualification instance could not run: ${(err as Error).message.split('\n')[0]}`,
        pass: false,
      });
    }
  } finally {
    await t?.dispose();
  }
  for (const policy of ['break-the-glass', 'two-person'] as const) {
    const id = `OQ-UNBLINDING-${policy.toUpperCase()}`;
    const protocolDir = mkdtempSync(join(tmpdir(), 'blindrand-qualification-protocol-'));
    let other: Throwaway | null = null;
    results.push(
      await check(id, [QUAL.unblinding], async () => {
        other = await startThrowaway(createApp, base, protocolWithPolicy(protocolDir, policy));
        places.push(describePlace(other));
        const s = new Session(other);
        await s.signIn();
        return policy === 'break-the-glass' ? breakTheGlass(s) : twoPerson(s);
      }),
    );
    await (other as Throwaway | null)?.dispose();
    rmSync(protocolDir, { recursive: true, force: true });
  }
  results.push(await check('OQ-CLEANUP', [QUAL.isolation], async () => cleanup(base, places)));
  return results;
}

function requirementsOf(id: string): string[] {
  if (id === 'OQ-EXACTLY-ONCE' || id === 'OQ-IDEMPOTENT-REPLAY') return [QUAL.exactlyOnce];
  if (id.startsWith('OQ-UNBLINDING')) return [QUAL.unblinding];
  if (id === 'OQ-BLINDING-CRAWL') return [QUAL.blinding];
  if (id === 'OQ-EXPORTS') return [QUAL.exports];
  return [QUAL.tamper];
}

async function mainScenario(t: Throwaway): Promise<CheckResult[]> {
  const s = new Session(t);
  await s.signIn();
  const out: CheckResult[] = [];
  let replayKey = '';
  let replayParticipant = '';
  let replayBody = '';
  out.push(
    await check('OQ-EXACTLY-ONCE', requirementsOf('OQ-EXACTLY-ONCE'), async () => {
      const problems: string[] = [];
      // (a) one patient, 10 parallel requests with different keys: one allocation.
      const p1 = await s.participant('A', 'RRMS', 4.5);
      const a = await Promise.all(Array.from({ length: 10 }, () => s.randomize(p1, s.key('distinct'))));
      const created = a.filter((r) => r.status === 201).length;
      const refused = a.filter(
        (r) => r.status === 409 && ['ALREADY_RANDOMIZED', 'IDEMPOTENCY_IN_FLIGHT'].includes(r.body?.code),
      ).length;
      if (created !== 1 || refused !== 9) problems.push(`different keys: ${created}×201, ${refused}×409`);
      // (b) one patient, 10 parallel requests with the same key: one allocation, one answer.
      const p2 = await s.participant('A', 'SPMS', 6.5);
      replayKey = s.key('same');
      replayParticipant = p2;
      const b = await Promise.all(Array.from({ length: 10 }, () => s.randomize(p2, replayKey)));
      const bodies = new Set(b.filter((r) => r.status === 201).map((r) => r.text));
      const inFlight = b.filter((r) => r.status === 409 && r.body?.code === 'IDEMPOTENCY_IN_FLIGHT').length;
      if (bodies.size !== 1 || b.filter((r) => r.status === 201).length + inFlight !== 10)
        problems.push(`same key: ${bodies.size} distinct answers, statuses ${b.map((r) => r.status).join(',')}`);
      replayBody = [...bodies][0] ?? '';
      // (c) six patients of both sites at once: six allocations, distinct numbers.
      const others = await Promise.all(
        [1, 2, 3].map(() => s.participant('A', 'RRMS', 3)).concat([1, 2, 3].map(() => s.participant('B', 'PPMS', 5))),
      );
      const c = await Promise.all(others.map((p, i) => s.randomize(p, s.key('parallel'), i < 3 ? 'A' : 'B')));
      if (c.some((r) => r.status !== 201))
        problems.push(`parallel patients: statuses ${c.map((r) => r.status).join(',')}`);
      const fiveXX = [...a, ...b, ...c].filter((r) => r.status >= 500).length;
      const log = await s.allocations();
      const perPatient = (id: string) => log.filter((l) => l.participantId === id).length;
      const numbers = log.map((l) => l.randomizationNumber).sort((x, y) => x - y);
      const gapless = numbers.every((n, i) => n === i + 1);
      if (perPatient(p1) !== 1 || perPatient(p2) !== 1)
        problems.push(`allocations: ${perPatient(p1)} and ${perPatient(p2)} for the two contested patients`);
      if (log.length !== 8 || !gapless) problems.push(`${log.length} allocations numbered ${numbers.join(',')}`);
      if (fiveXX) problems.push(`${fiveXX} answers 5xx`);
      return {
        observed: problems.length
          ? problems.join('; ')
          : `26 parallel requests: 8 allocations for 8 patients, numbers 1–8 without gap, 0 duplicates, 0 5xx`,
        pass: problems.length === 0,
      };
    }),
  );
  out.push(
    await check('OQ-IDEMPOTENT-REPLAY', requirementsOf('OQ-IDEMPOTENT-REPLAY'), async () => {
      const problems: string[] = [];
      const before = (await s.allocations()).length;
      const replay = await s.randomize(replayParticipant, replayKey);
      if (replay.status !== 201 || replay.text !== replayBody || replay.headers.get('idempotent-replayed') !== 'true')
        problems.push(`replay: ${replay.status}, same body ${replay.text === replayBody}`);
      const fresh = await s.participant('A', 'RRMS', 4);
      const reused = await s.randomize(fresh, replayKey);
      if (reused.status !== 422 || reused.body?.code !== 'IDEMPOTENCY_KEY_REUSED')
        problems.push(`key reused for another patient: ${reused.status} ${reused.body?.code}`);
      const noKey = await s.randomize(fresh, null);
      if (noKey.status !== 400 || noKey.body?.code !== 'IDEMPOTENCY_KEY_REQUIRED')
        problems.push(`no key: ${noKey.status} ${noKey.body?.code}`);
      const after = (await s.allocations()).length;
      if (after !== before) problems.push(`allocations ${before} → ${after}`);
      return {
        observed: problems.length
          ? problems.join('; ')
          : 'replay: 201, byte-identical answer, Idempotent-Replayed: true; key reused: 422 IDEMPOTENCY_KEY_REUSED; no key: 400 IDEMPOTENCY_KEY_REQUIRED; 0 new allocations',
        pass: problems.length === 0,
      };
    }),
  );
  let requestId = '';
  out.push(
    await check('OQ-UNBLINDING-MONITOR-APPROVAL', [QUAL.unblinding], async () => {
      const r = await monitorApproval(s);
      requestId = r.requestId;
      return r;
    }),
  );
  out.push(await check('OQ-BLINDING-CRAWL', [QUAL.blinding], () => crawl(s, requestId)));
  out.push(await check('OQ-EXPORTS', [QUAL.exports], () => exportsCheck(s)));
  out.push(await check('OQ-TAMPER', [QUAL.tamper], () => tamper(s)));
  return out;
}

async function randomized(s: Session, participantId: string, label: string, site = 'A'): Promise<void> {
  const res = await s.randomize(participantId, s.key(label), site);
  if (res.status !== 201) throw new Error(`randomization failed: ${res.status} ${res.body?.code ?? ''}`);
}

/** The arm the randomization statistician's log holds for a patient: what a reveal must match. */
async function armOf(s: Session, participantId: string): Promise<string | undefined> {
  return (await s.allocations()).find((l) => l.participantId === participantId)?.arm;
}

async function request(s: Session, participantId: string, site = 'A') {
  const token = s.tokens[site === 'A' ? 'investigator1' : 'investigator2'];
  return s.http.post(
    '/api/unblinding-requests',
    {
      participantId,
      reason: 'Qualification: severe adverse reaction, treating physician needs the allocation',
      emergency: true,
      ...s.signature,
    },
    token,
  );
}

const decide = (s: Session, user: string, id: string, approve = true) =>
  s.http.post(
    `/api/unblinding-requests/${id}/decision`,
    { approve, comment: 'Qualification decision', ...s.signature },
    s.tokens[user],
  );
const reveal = (s: Session, user: string, id: string) =>
  s.http.get(`/api/unblinding-requests/${id}/reveal`, s.tokens[user]);

async function monitorApproval(s: Session): Promise<Observation & { requestId: string }> {
  const problems: string[] = [];
  const p = await s.participant('A', 'RRMS', 4);
  await randomized(s, p, 'unblinding');
  const policy = (await s.http.get('/api/study', s.tokens.monitor)).body.unblindingPolicy;
  if (policy !== 'monitor-approval') problems.push(`policy ${policy}`);
  const created = await request(s, p);
  const id = created.body?.id;
  if (created.status !== 201 || created.body?.status !== 'pending')
    problems.push(`request: ${created.status} ${created.body?.status}`);
  const early = await reveal(s, 'investigator1', id);
  if (early.status < 400) problems.push(`reveal before approval: ${early.status}`);
  const decision = await decide(s, 'monitor', id);
  if (decision.body?.status !== 'approved') problems.push(`decision: ${decision.status} ${decision.body?.status}`);
  const other = await reveal(s, 'investigator2', id);
  if (other.status < 400) problems.push(`reveal to another investigator: ${other.status}`);
  const shown = await reveal(s, 'investigator1', id);
  const stored = await armOf(s, p);
  if (shown.status !== 200 || !stored || shown.body?.arm !== stored)
    problems.push(`reveal to the requester: ${shown.status}, matches the allocation: ${shown.body?.arm === stored}`);
  const register = (await s.http.get('/api/unblinding-register', s.tokens.auditor)).body;
  if (!Array.isArray(register) || !register.some((r: { requestId?: string }) => r.requestId === id))
    problems.push('the reveal is not in the unblinding register');
  return {
    requestId: id,
    observed: problems.length
      ? problems.join('; ')
      : 'pending until the monitor approved; refused before approval and to another investigator; revealed to the requester, matching the allocation; registered',
    pass: problems.length === 0,
  };
}

async function breakTheGlass(s: Session): Promise<Observation> {
  const problems: string[] = [];
  const p = await s.participant('A', 'RRMS', 4);
  await randomized(s, p, 'btg');
  const created = await request(s, p);
  const id = created.body?.id;
  if (created.body?.policy !== 'break-the-glass' || created.body?.status !== 'approved')
    problems.push(`request: ${created.status} ${created.body?.policy} ${created.body?.status}`);
  const other = await reveal(s, 'monitor', id);
  if (other.status < 400) problems.push(`reveal to the monitor: ${other.status}`);
  const shown = await reveal(s, 'investigator1', id);
  if (shown.status !== 200 || shown.body?.arm !== (await armOf(s, p)))
    problems.push(`reveal to the requester: ${shown.status}`);
  const inbox = (await s.http.get('/api/notifications', s.tokens.monitor)).body;
  if (!inbox?.items?.some((n: { kind: string }) => n.kind === 'unblinding.break-the-glass'))
    problems.push('the monitor was not notified');
  const review = await decide(s, 'monitor', id);
  if (review.status >= 300) problems.push(`review afterwards: ${review.status}`);
  return {
    observed: problems.length
      ? problems.join('; ')
      : 'revealed at once to the requester only, matching the allocation; the monitor notified and reviewed afterwards',
    pass: problems.length === 0,
  };
}

async function twoPerson(s: Session): Promise<Observation> {
  const problems: string[] = [];
  // The demo has one medical monitor; a second one is added to the throwaway study directly.
  const second = await addSecondMonitor(s.t);
  const monitor2 = await s.http.login(second, s.t.password);
  const p = await s.participant('B', 'SPMS', 6);
  await randomized(s, p, 'two', 'B');
  const created = await request(s, p, 'B');
  const id = created.body?.id;
  if (created.body?.policy !== 'two-person' || created.body?.approvalsRequired !== 2)
    problems.push(`request: ${created.body?.policy} ${created.body?.approvalsRequired}`);
  const first = await decide(s, 'monitor', id);
  if (first.body?.status !== 'pending') problems.push(`after one approval: ${first.body?.status}`);
  const twice = await decide(s, 'monitor', id);
  if (twice.status !== 403) problems.push(`the same monitor twice: ${twice.status}`);
  const early = await reveal(s, 'investigator2', id);
  if (early.status < 400) problems.push(`reveal after one approval: ${early.status}`);
  const secondDecision = await s.http.post(
    `/api/unblinding-requests/${id}/decision`,
    { approve: true, comment: 'Qualification decision', ...s.signature },
    monitor2,
  );
  if (secondDecision.body?.status !== 'approved')
    problems.push(`after the second approval: ${secondDecision.status} ${secondDecision.body?.status}`);
  const shown = await reveal(s, 'investigator2', id);
  if (shown.status !== 200 || shown.body?.arm !== (await armOf(s, p)))
    problems.push(`reveal to the requester: ${shown.status}`);
  return {
    observed: problems.length
      ? problems.join('; ')
      : 'pending after one approval; the same monitor twice refused (403); revealed to the requester after a second monitor, matching the allocation',
    pass: problems.length === 0,
  };
}

async function addSecondMonitor(t: Throwaway): Promise<string> {
  const { DatabaseService } = await import('../../database/database.service.js');
  const { UsersService } = await import('../users/users.service.js');
  const { hashPassword } = await import('../auth/passwords.js');
  const users = t.app.get(UsersService);
  const hash = await hashPassword(t.password);
  await t.app
    .get(DatabaseService)
    .withWriteTransaction({ userId: null, username: 'qualification', role: 'system' }, async (tx) => {
      await users.insertUser(
        tx,
        {
          username: 'monitor2',
          displayName: 'Second monitor (qualification)',
          role: 'medical_monitor',
          siteCodes: [],
          email: 'monitor2@blindrand.local',
          password: t.password,
        },
        hash,
      );
    });
  return 'monitor2';
}

/** Every readable endpoint, as every role: no arm for a blinded role, no 5xx; the oracle finds arms where they belong. */
async function crawl(s: Session, requestId: string): Promise<Observation> {
  const vocabulary = blindedVocabulary(loadProtocol(s.t.config.protocolFile));
  const participants = (await s.http.get('/api/participants', s.tokens.auditor)).body as Array<{ id: string }>;
  const listed = [
    '/api/auth/me',
    '/api/study',
    '/api/participants',
    ...participants.slice(0, 4).map((p) => `/api/participants/${p.id}`),
    '/api/allocation-log',
    '/api/allocation-log?format=csv',
    '/api/audit?limit=500',
    '/api/audit/export',
    '/api/audit/verify',
    '/api/audit/checkpoints',
    '/api/pharmacy/tasks',
    '/api/study/scheme',
    '/api/study/scheme?format=csv',
    '/api/users',
    '/api/sites',
    '/api/unblinding-requests',
    `/api/unblinding-requests/${requestId}`,
    '/api/unblinding-register',
    '/api/unblinding-register?format=csv',
    '/api/notifications',
    '/api/exports/cdisc',
    '/api/study/scheme/release',
    '/api/role-grants',
    '/api/no-such-endpoint',
  ];
  // Every other GET route without a path parameter, from the running build's own OpenAPI document,
  // so a route added by a later release is crawled without this list being edited.
  const doc = (await s.http.get('/api/docs-json')).body as { paths?: Record<string, { get?: unknown }> };
  const discovered = Object.entries(doc?.paths ?? {})
    .filter(([path, ops]) => ops.get && !path.includes('{') && !/\/(docs|health)/.test(path))
    .map(([path]) => (path.startsWith('/api') ? path : `/api${path}`));
  const paths = [...new Set([...listed, ...discovered])];
  const status = (await s.http.get('/api/study', s.tokens.auditor)).body.status;
  let responses = 0;
  let fiveXX = 0;
  const hits: string[] = [];
  let unblindedSeen = 0;
  const blindedRoles = new Set<string>();
  for (const u of QUALIFICATION_USERS) {
    const blinded = isBlindedAt(s.roles[u], status);
    if (blinded) blindedRoles.add(s.roles[u]);
    const userPaths = u === 'investigator1' ? paths : [...paths, `/api/unblinding-requests/${requestId}/reveal`];
    for (const path of userPaths) {
      const res = await s.http.get(path, s.tokens[u]);
      responses++;
      if (res.status >= 500) fiveXX++;
      const found = leakHits(res.text, vocabulary);
      // Named by user and path only: the report must not carry an arm word itself.
      if (blinded && found.length) hits.push(`${u} ${path.split('?')[0]}: ${found.length}`);
      else if (found.length) unblindedSeen++;
    }
  }
  const pass = hits.length === 0 && fiveXX === 0 && unblindedSeen > 0 && discovered.length > 0;
  const observed = `${paths.length} routes (${discovered.length} GET routes of the OpenAPI document), ${responses} responses for ${QUALIFICATION_USERS.length} users (blinded roles: ${[...blindedRoles].join(', ')}); arm hits for blinded roles: ${hits.length}${hits.length ? ` (${hits.slice(0, 3).join('; ')})` : ''}; 5xx: ${fiveXX}; responses with arms for unblinded roles: ${unblindedSeen}`;
  return { observed, pass };
}

async function exportsCheck(s: Session): Promise<Observation> {
  const problems: string[] = [];
  const log = await s.allocations();
  const json = await s.http.get('/api/allocation-log', s.tokens.auditor);
  if (!Array.isArray(json.body) || json.body.length !== log.length)
    problems.push(
      `allocation log JSON: ${json.status}, ${Array.isArray(json.body) ? json.body.length : 'not a list'} rows`,
    );
  const csv = await s.http.get('/api/allocation-log?format=csv', s.tokens.auditor);
  const csvRows = parseCsv(csv.text);
  const width = csvRows[0]?.length ?? 0;
  if (csvRows.length - 1 !== log.length || csvRows.some((r) => r.length !== width))
    problems.push(`allocation log CSV: ${csvRows.length - 1} rows, ${width} columns`);
  const audit = parseCsv((await s.http.get('/api/audit/export', s.tokens.auditor)).text);
  if (audit.length < 2 || audit.some((r) => r.length !== audit[0].length))
    problems.push(`audit CSV: ${audit.length - 1} rows`);
  // CDISC needs the end of study: lock, then unblind with two statisticians' signatures.
  const locked = await s.http.post(
    '/api/study/lock',
    { ...s.signature, reason: 'Qualification: end of the throwaway study' },
    s.tokens.statistician,
  );
  const unblinded = await s.http.post(
    '/api/study/unblind',
    { ...s.signature, secondSignature: { username: 'statistician2', password: s.t.password } },
    s.tokens.statistician,
  );
  if (locked.status !== 200 || unblinded.status !== 200)
    problems.push(`lock ${locked.status}, unblind ${unblinded.status}`);
  const cdisc = await s.http.get('/api/exports/cdisc', s.tokens.statistician);
  const [header = [], ...rows] = parseCsv(cdisc.text);
  const required = ['USUBJID', 'SITEID', 'RANDNO', 'RANDDT', 'ARMCD', 'ARM'];
  const missing = required.filter((c) => !header.includes(c));
  const numbers = rows.map((r) => Number(r[header.indexOf('RANDNO')])).sort((a, b) => a - b);
  const expected = log.map((l) => l.randomizationNumber).sort((a, b) => a - b);
  if (cdisc.status !== 200 || missing.length || rows.length !== log.length || numbers.join() !== expected.join())
    problems.push(`CDISC: ${cdisc.status}, ${rows.length} rows, missing columns ${missing.join(',') || 'none'}`);
  return {
    observed: problems.length
      ? problems.join('; ')
      : `allocation log JSON and CSV: ${log.length} rows each; audit CSV: ${audit.length - 1} rows; CDISC after lock and two-statistician unblinding: ${rows.length} rows, ${header.length} columns, randomization numbers agree`,
    pass: problems.length === 0,
  };
}

async function tamper(s: Session): Promise<Observation> {
  const before = (await s.http.get('/api/audit/verify', s.tokens.auditor)).body;
  if (!before?.valid)
    return {
      observed: `the throwaway chain was invalid before tampering (entry ${before?.firstInvalidSeq})`,
      pass: false,
    };
  const seq = Math.max(2, Math.floor(before.count / 2));
  await s.t.raw('UPDATE audit_log SET reason = ? WHERE seq = ?', ['altered by the qualification tamper check', seq]);
  const after = (await s.http.get('/api/audit/verify', s.tokens.auditor)).body;
  const pass = after?.valid === false && Number(after.firstInvalidSeq) === seq;
  return {
    observed: `before: valid, ${before.count} entries; entry ${seq} altered in the database; after: valid=${after?.valid}, first invalid entry ${after?.firstInvalidSeq}`,
    pass,
  };
}

function protocolWithPolicy(dir: string, policy: UnblindingPolicy): string {
  const yaml = readFileSync(QUALIFICATION_PROTOCOL, 'utf8');
  const changed = yaml.replace(/^unblinding:\n {2}policy: [a-z-]+$/m, `unblinding:\n  policy: ${policy}`);
  if (!changed.includes(`policy: ${policy}`))
    throw new Error('the qualification protocol has no unblinding policy line');
  const file = join(dir, `qualification-${policy}.yaml`);
  writeFileSync(file, changed);
  return file;
}

function describePlace(t: Throwaway): string {
  const db = t.config.database;
  return db.dialect === 'sqlite'
    ? `file:${db.path}`
    : `schema:${new URL(db.url).searchParams.get('options')?.split('=').pop()}`;
}

/** Every throwaway database is gone: SQLite files deleted, PostgreSQL schemas dropped. */
async function cleanup(base: AppConfig, places: string[]): Promise<Observation> {
  const left: string[] = [];
  for (const place of places) {
    if (place.startsWith('file:')) {
      if (existsSync(place.slice(5))) left.push(place);
    } else if (base.database.dialect === 'postgres') {
      const found = await withConnection(directOptions(base.database), (sql) =>
        sql.count('SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = ?', [place.slice(7)]),
      );
      if (found) left.push(place);
    }
  }
  return {
    observed: left.length
      ? `left behind: ${left.join(', ')}`
      : `${places.length} qualification databases created and dropped (${places.map((p) => p.split(':')[0]).join(', ')})`,
    pass: left.length === 0 && places.length > 0,
  };
}
