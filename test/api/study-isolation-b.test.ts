/**
 * Multi-study step 3, the unblinding side (docs/MULTI-STUDY.md): two studies in one instance, an emergency
 * unblinding in each, and every list, register, inbox, audit page, verification, CSV and signature check of
 * one study sees only its own records; a record id of the other study answers 404 like one that does not
 * exist. The CLI works on the study it is given: `audit verify --study`, `unblinding register --study`, and
 * `study archive --study` + `archive verify` on the second study alone.
 *
 * The second study is made by the test host (app-host.ts `study-create`: the first study's protocol under
 * another code, its chain opened by loading it, the demo scheme generated and activated through the real
 * services); its roles are written directly (the membership API has its own tests).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main.js';
import { eligibleAnswers } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { protocolWithEscalation } from './fixtures/emergency-protocol.js';
import { signed, waitFor } from './fixtures/unblinding-helpers.js';

const B = { id: 2, code: 'ISO-B2' };

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe(`records of the unblinding side stay in their study (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let work: string;
  let dbArgs: string[];
  let A: string;
  const tokens: Record<string, string> = {};
  /** Per study: the patient, the emergency request and its signature. */
  const rec: Record<'A' | 'B', { patient: string; request: string; signatureId: string }> = {} as never;
  const path = (study: 'A' | 'B', rest: string) => `/api/studies/${study === 'A' ? A : B.code}${rest}`;
  let serial = 0;

  /** Registers and randomizes an eligible patient of site A in the study, through its scoped routes. */
  async function randomized(study: 'A' | 'B', token: string): Promise<string> {
    const answers = eligibleAnswers();
    const reg = await t.api.post(
      path(study, '/participants'),
      { siteCode: 'A', screeningNumber: `A-ISO-${process.pid}-${++serial}`, ...answers },
      token,
    );
    expect(reg.status).toBe(201);
    const res = await t.api.post(path(study, `/participants/${reg.body.id}/randomize`), signed(), token, {
      'idempotency-key': `iso-b-${process.pid}-${serial}-${Date.now()}`,
    });
    expect(res.status).toBe(201);
    return reg.body.id;
  }

  /** An emergency request by `requester`, approved by the monitor and revealed to the requester. */
  async function emergency(study: 'A' | 'B', requester: string, patient: string) {
    const req = await t.api.post(
      path(study, '/unblinding-requests'),
      {
        participantId: patient,
        reason: 'Anaphylaxis; the treating physician needs the allocation',
        emergency: true,
        ...signed(),
      },
      tokens[requester],
    );
    expect(req.status).toBe(201);
    const decision = await t.api.post(
      path(study, `/unblinding-requests/${req.body.id}/decision`),
      { approve: true, comment: 'Clinically justified', ...signed() },
      tokens.monitor,
    );
    expect(decision.status).toBe(200);
    expect((await t.api.get(path(study, `/unblinding-requests/${req.body.id}/reveal`), tokens[requester])).status).toBe(
      200,
    );
    const [row] = await raw.all('SELECT signature_id FROM unblinding_requests WHERE id = ?', [req.body.id]);
    return { patient, request: req.body.id as string, signatureId: String(row.signature_id) };
  }

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    work = mkdtempSync(join(tmpdir(), 'blindrand-iso-b-'));
    const db = t.config.database as any;
    dbArgs = [
      ...(usingPostgres ? ['--database-url', db.url] : ['--db', db.path]),
      '--key',
      join(t.dir, 'audit-signing.key'),
    ];
    for (const u of ['investigator1', 'investigator2', 'monitor', 'auditor', 'statistician'])
      tokens[u] = await t.api.login(u);
    A = (await t.api.get('/api/study', tokens.auditor)).body.code;
    const made = await t.ask<{ type: string; error: string | null }>({
      type: 'study-create',
      studyId: B.id,
      code: B.code,
    });
    expect(made.error).toBeNull();
    // In the second study investigator2 works at site A (site B in the first); investigator1 holds no role there.
    const roles: Array<[string, string, string[]]> = [
      ['investigator2', 'investigator', ['A']],
      ['monitor', 'medical_monitor', []],
      ['auditor', 'auditor', []],
      ['statistician', 'statistician', []],
      ['statistician2', 'statistician', []],
    ];
    for (const [username, role, sites] of roles)
      await raw.run(
        `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
         SELECT ?, ?, id, ?, ?, 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = ?`,
        [`iso-b-${username}`, B.id, role, JSON.stringify(sites), username],
      );
    rec.A = await emergency('A', 'investigator1', await randomized('A', tokens.investigator1));
    rec.B = await emergency('B', 'investigator2', await randomized('B', tokens.investigator2));
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('[MS-005] each study lists and registers only its own unblinding; the other study’s ids are 404', async () => {
    for (const [mine, other] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      const list = await t.api.get(path(mine, '/unblinding-requests'), tokens.monitor);
      expect(list.status).toBe(200);
      const ids = list.body.map((r: { id: string }) => r.id);
      expect(ids).toContain(rec[mine].request);
      expect(ids).not.toContain(rec[other].request);
      const register = await t.api.get(path(mine, '/unblinding-register'), tokens.auditor);
      const patients = register.body.map((r: { participantId: string }) => r.participantId);
      expect(patients).toContain(rec[mine].patient);
      expect(patients).not.toContain(rec[other].patient);
      const csv = await t.api.get(path(mine, '/unblinding-register?format=csv'), tokens.auditor);
      expect(csv.text).toContain(rec[mine].patient);
      expect(csv.text).not.toContain(rec[other].patient);
      // The monitor holds a role in both studies: still, the other study's request is not found under this path.
      const foreign = rec[other].request;
      expect((await t.api.get(path(mine, `/unblinding-requests/${foreign}`), tokens.monitor)).status).toBe(404);
      const decide = await t.api.post(
        path(mine, `/unblinding-requests/${foreign}/decision`),
        { approve: true, comment: 'Clinically justified', ...signed() },
        tokens.monitor,
      );
      expect(decide.status).toBe(404);
      const byPatient = await t.api.get(
        path(mine, `/unblinding-requests?participantId=${rec[other].patient}`),
        tokens.monitor,
      );
      expect(byPatient.body).toEqual([]);
    }
    // Investigator2 (an investigator in both) cannot reach the second study's reveal through the first.
    expect(
      (await t.api.get(path('A', `/unblinding-requests/${rec.B.request}/reveal`), tokens.investigator2)).status,
    ).toBe(404);
  });

  it('[MS-005] inboxes, inadvertent reports and signatures are confined to their study', async () => {
    for (const [mine, other] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      const inbox = await t.api.get(path(mine, '/notifications'), tokens.monitor);
      expect(inbox.status).toBe(200);
      const about = inbox.body.items.map((n: { entityId: string }) => n.entityId);
      expect(about).toContain(rec[mine].request);
      expect(about).not.toContain(rec[other].request);
      // The other study's notification cannot be marked read through this study.
      const otherInbox = await t.api.get(path(other, '/notifications'), tokens.monitor);
      const foreign = otherInbox.body.items.find((n: { entityId: string }) => n.entityId === rec[other].request);
      expect((await t.api.post(path(mine, `/notifications/${foreign.id}/read`), {}, tokens.monitor)).status).toBe(404);
      // A signature binds a record of one study: verified there, not found under the other's path.
      const here = await t.api.get(path(mine, `/signatures/${rec[mine].signatureId}/verification`), tokens.auditor);
      expect([here.status, here.body.valid]).toEqual([200, true]);
      const there = await t.api.get(path(mine, `/signatures/${rec[other].signatureId}/verification`), tokens.auditor);
      expect(there.status).toBe(404);
    }
    const report = await t.api.post(
      path('B', '/inadvertent-unblindings'),
      {
        occurredOn: '2026-01-02',
        howItHappened: 'A label was visible on a courier box',
        whoWasUnblinded: 'The site coordinator',
        impactAssessment: 'Coordinator not involved in outcome assessment',
        correctiveAction: 'Boxes relabelled; staff retrained',
        participantIds: [rec.B.patient],
        ...signed(),
      },
      tokens.monitor,
    );
    expect(report.status).toBe(201);
    const inB = await t.api.get(path('B', '/inadvertent-unblindings'), tokens.auditor);
    expect(inB.body.map((r: { id: string }) => r.id)).toEqual([report.body.id]);
    expect((await t.api.get(path('A', '/inadvertent-unblindings'), tokens.auditor)).body).toEqual([]);
    expect((await t.api.get(path('A', `/inadvertent-unblindings/${report.body.id}`), tokens.auditor)).status).toBe(404);
  });

  it('[MS-005] each study’s audit trail (pages, CSV, verification, checkpoints) holds only its own entries', async () => {
    for (const [mine, other] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      const page = await t.api.get(path(mine, '/audit?limit=500'), tokens.auditor);
      expect(page.status).toBe(200);
      const text = JSON.stringify(page.body.entries);
      expect(text).toContain(rec[mine].request);
      expect(text).not.toContain(rec[other].request);
      expect(text).not.toContain(rec[other].patient);
      const csv = await t.api.get(path(mine, '/audit/export'), tokens.auditor);
      expect(csv.text).toContain(rec[mine].request);
      expect(csv.text).not.toContain(rec[other].request);
      const verify = await t.api.get(path(mine, '/audit/verify'), tokens.auditor);
      expect(verify.body).toMatchObject({ valid: true, firstInvalidSeq: null });
      const [{ n }] = await raw.all('SELECT COUNT(*) AS n FROM audit_log WHERE chain = ?', [mine === 'A' ? 1 : B.id]);
      expect(verify.body.count).toBe(Number(n));
    }
  });

  it('[MS-005] the CLI works on the study it is given: verify, register, and the archive of the second study alone', async () => {
    const verifyB = await cli(['audit', 'verify', '--study', B.code, '--json', ...dbArgs]);
    expect(verifyB.code).toBe(0);
    const [{ n }] = await raw.all('SELECT COUNT(*) AS n FROM audit_log WHERE chain = ?', [B.id]);
    expect(JSON.parse(verifyB.out)).toMatchObject({ valid: true, count: Number(n) });
    expect((await cli(['audit', 'verify', '--study', A, ...dbArgs])).code).toBe(0);
    const cliRegister = await cli(['unblinding', 'register', '--study', B.code, '--json', ...dbArgs.slice(0, 2)]);
    expect(cliRegister.code).toBe(0);
    const rows = JSON.parse(cliRegister.out);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { participantId: string }) => r.participantId === rec.B.patient)).toBe(true);

    // End of the second study only: lock, then two statisticians unblind; the first study stays active.
    const stat = tokens.statistician;
    expect((await t.api.post(path('B', '/study/lock'), { ...signed(), reason: 'Last patient out' }, stat)).status).toBe(
      200,
    );
    const second = { username: 'statistician2', password: DEMO_PASSWORD };
    expect((await t.api.post(path('B', '/study/unblind'), { ...signed(), secondSignature: second }, stat)).status).toBe(
      200,
    );
    expect((await t.api.get('/api/study', tokens.auditor)).body.status).toBe('active');

    const folder = join(work, 'archive-b');
    const written = await cli(['study', 'archive', '--study', B.code, '--out', folder, ...dbArgs]);
    expect([written.code, written.err]).toEqual([0, '']);
    expect(written.out).toMatch(/1 allocations; [1-9]\d* register rows/);
    const chainText = readFileSync(join(folder, 'audit', 'chain.jsonl'), 'utf8');
    expect(chainText).toContain(rec.B.request);
    expect(chainText).not.toContain(rec.A.request);
    const log = JSON.parse(readFileSync(join(folder, 'allocation-log', 'allocation-log.json'), 'utf8'));
    expect(log.map((r: { participantId: string }) => r.participantId)).toEqual([rec.B.patient]);
    const register = JSON.parse(readFileSync(join(folder, 'unblinding', 'register.json'), 'utf8'));
    // Its emergency reveal and the end-of-study rows (every participant: no id), never the first study's patients.
    expect(register.map((r: { participantId: string | null }) => r.participantId)).toContain(rec.B.patient);
    expect(JSON.stringify(register)).not.toContain(rec.A.patient);
    const verified = await cli(['archive', 'verify', folder]);
    expect([verified.code, verified.err]).toEqual([0, '']);
    expect(verified.out).toContain('VALID');
    expect(verified.out).toContain('OK     signatures: ');
    // The first study is still active: its archive is refused, nothing of the second changes that.
    const early = await cli(['study', 'archive', '--study', A, '--out', join(work, 'archive-a'), ...dbArgs]);
    expect([early.code, early.err]).toEqual([2, expect.stringContaining('only after end-of-study unblinding')]);
  });
});

describe(`the escalation of unblinding requests walks every active study (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // Both studies under the demo protocol with a fast rule: nobody decides within 1.2 s → break-the-glass.
    t = await startTestApp({
      PROTOCOL_FILE: protocolWithEscalation('break-the-glass', 0.02),
      ESCALATION_CHECK_MS: '200',
    });
    raw = await openRawDb(t.config);
    for (const u of ['investigator2', 'auditor']) tokens[u] = await t.api.login(u);
    const made = await t.ask<{ error: string | null }>({ type: 'study-create', studyId: B.id, code: B.code });
    expect(made.error).toBeNull();
    for (const [username, role, sites] of [
      ['investigator2', 'investigator', ['A']],
      ['auditor', 'auditor', []],
    ] as const)
      await raw.run(
        `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
         SELECT ?, ?, id, ?, ?, 'test', '2026-01-01T00:00:00.000Z' FROM users WHERE username = ?`,
        [`esc-b-${username}`, B.id, role, JSON.stringify(sites), username],
      );
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-005] a request of the second study nobody decides is escalated there: its chain, its inbox', async () => {
    const base = `/api/studies/${B.code}`;
    const reg = await t.api.post(
      `${base}/participants`,
      { siteCode: 'A', screeningNumber: `A-ESC-${process.pid}`, ...eligibleAnswers() },
      tokens.investigator2,
    );
    expect(reg.status).toBe(201);
    const randomized = await t.api.post(
      `${base}/participants/${reg.body.id}/randomize`,
      signed(),
      tokens.investigator2,
      {
        'idempotency-key': `esc-b-${process.pid}-${Date.now()}`,
      },
    );
    expect(randomized.status).toBe(201);
    const req = await t.api.post(
      `${base}/unblinding-requests`,
      {
        participantId: reg.body.id,
        reason: 'Anaphylaxis; the treating physician needs the allocation',
        emergency: true,
        ...signed(),
      },
      tokens.investigator2,
    );
    expect([req.status, req.body.status]).toEqual([201, 'pending']);
    const escalated = await waitFor('the escalation in the second study', async () => {
      const r = await t.api.get(`${base}/unblinding-requests/${req.body.id}`, tokens.investigator2);
      return r.body.escalatedTo === 'break-the-glass' ? r.body : undefined;
    });
    expect(escalated.status).toBe('approved');
    const entries = async (code: string) =>
      (await t.api.get(`/api/studies/${code}/audit?action=unblinding.escalated`, tokens.auditor)).body.entries;
    expect((await entries(B.code)).map((e: { entityId: string }) => e.entityId)).toEqual([req.body.id]);
    const first = (await t.api.get('/api/study', tokens.auditor)).body.code;
    expect(await entries(first)).toEqual([]);
    const inbox = (await t.api.get(`${base}/notifications`, tokens.investigator2)).body.items;
    expect(inbox.map((n: { kind: string }) => n.kind)).toContain('unblinding.escalated');
    const firstInbox = (await t.api.get(`/api/studies/${first}/notifications`, tokens.investigator2)).body.items;
    expect(firstInbox.map((n: { entityId: string }) => n.entityId)).not.toContain(req.body.id);
  });
});
