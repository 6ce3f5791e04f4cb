/**
 * Creating a study and managing who takes part in it (issue 16 Build 2; docs/MULTI-STUDY.md decisions 6–7).
 * Study A is the demo (the MSC crossover, the instance's first study); study B is created here from
 * protocols/parallel-2to1.yaml through the signed route, then staffed through its members routes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD, openRawDb, startTestApp, usingPostgres, type RawDb, type TestApp } from '../support/index.js';

const protocol = (file: string) => readFileSync(join(process.cwd(), 'protocols', file), 'utf8');
const B = 'MSC-PAR21';

describe(`study creation and study membership (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let A: string;
  const tokens: Record<string, string> = {};

  const create = (body: Record<string, unknown>, token = tokens.admin) =>
    t.api.post(
      '/api/studies',
      {
        protocolYaml: protocol('parallel-2to1.yaml'),
        signature: { password: DEMO_PASSWORD },
        secondSignature: { username: 'statistician', password: DEMO_PASSWORD },
        ...body,
      },
      token,
    );
  const counts = async () => ({
    studies: (await raw.all('SELECT COUNT(*) AS n FROM study'))[0].n,
    // Refused signatures are audited (signature.failed); nothing of a study or a role is.
    entries: (await raw.all(`SELECT COUNT(*) AS n FROM audit_log WHERE action NOT LIKE 'signature.%'`))[0].n,
    signatures: (await raw.all('SELECT COUNT(*) AS n FROM signatures'))[0].n,
    roles: (await raw.all('SELECT COUNT(*) AS n FROM study_roles'))[0].n,
  });
  const grant = (study: string, body: Record<string, unknown>, token = tokens.admin) =>
    t.api.post(`/api/studies/${study}/members`, body, token);
  const revoke = (study: string, username: string, token = tokens.admin) =>
    t.api.request('DELETE', `/api/studies/${study}/members/${username}`, { token, body: { reason: 'left the trial' } });
  const decide = (id: string, token: string) =>
    t.api.post(
      `/api/role-grants/${id}/decision`,
      { approve: true, comment: 'checked', signature: { password: DEMO_PASSWORD } },
      token,
    );
  /** One study's chain verified alone, by the server's verifier (AuditService.verify through app-host's IPC hook). */
  const verifyChain = async (code: string) => {
    const [row] = await raw.all('SELECT id FROM study WHERE code = ?', [code]);
    return (
      await t.ask<{ result: { valid: boolean; count: number } }>({ type: 'study-verify', studyId: Number(row.id) })
    ).result;
  };
  /** The actions of one study's chain, in order (read from the database: the API's audit reads are step 3). */
  const chainActions = async (code: string) =>
    (
      await raw.all('SELECT l.action FROM audit_log l JOIN study s ON s.id = l.chain WHERE s.code = ? ORDER BY l.seq', [
        code,
      ])
    ).map((r) => String(r.action));
  const rolesOf = async (token: string) =>
    Object.fromEntries(
      (await t.api.get('/api/studies', token)).body.map((s: { code: string; role: string | null }) => [s.code, s.role]),
    );

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of [
      'admin',
      'statistician',
      'statistician2',
      'randstat',
      'auditor',
      'pharmacist',
      'investigator1',
      'monitor',
    ])
      tokens[u] = await t.api.login(u);
    A = (await t.api.get('/api/study', tokens.auditor)).body.code;
    // A second instance admin made at installation (not by the first one: independent of them, as role-grants.ts asks).
    const [admin] = await raw.all(`SELECT * FROM users WHERE username = 'admin'`);
    const replace: Record<string, string> = {
      id: `'ms7-admin2'`,
      username: `'admin2'`,
      email: `'admin2@test.local'`,
      display_name: `'Second Admin'`,
      created_by_id: 'NULL',
      credentials_by_id: 'NULL',
    };
    const columns = Object.keys(admin);
    await raw.run(
      `INSERT INTO users (${columns.join(', ')}) SELECT ${columns.map((c) => replace[c] ?? c).join(', ')} FROM users WHERE username = 'admin'`,
    );
    tokens.admin2 = await t.api.login('admin2');
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-006] a bad protocol is refused with its problems (422) and nothing is written; so are incomplete or wrong signatures', async () => {
    const before = await counts();
    const bad = await create({ protocolYaml: protocol('parallel-2to1.yaml').replace(/ratio: 2/, 'ratio: two') });
    expect([bad.status, bad.body.code]).toEqual([422, 'PROTOCOL_INVALID']);
    expect(bad.body.details.errors).toEqual([expect.objectContaining({ path: expect.stringContaining('ratio') })]);
    const notYaml = await create({ protocolYaml: 'study: [unclosed' });
    expect([notYaml.status, notYaml.body.code]).toEqual([422, 'PROTOCOL_INVALID']);
    // One signature is not enough; the admin cannot co-sign as statistician; a wrong password and an admin co-signer
    // get the same answer as an unknown name.
    const { secondSignature: _, ...one } = {
      protocolYaml: protocol('parallel-2to1.yaml'),
      signature: { password: DEMO_PASSWORD },
      secondSignature: null,
    };
    expect((await t.api.post('/api/studies', one, tokens.admin)).status).toBe(400);
    expect((await create({ secondSignature: { username: 'admin', password: DEMO_PASSWORD } })).status).toBe(403);
    const wrong = await create({ secondSignature: { username: 'statistician', password: 'not-the-password' } });
    const admin2 = await create({ secondSignature: { username: 'admin2', password: DEMO_PASSWORD } });
    const nobody = await create({ secondSignature: { username: 'no-such-person', password: DEMO_PASSWORD } });
    for (const r of [wrong, admin2, nobody])
      expect([r.status, r.body.code, r.body.message]).toEqual([401, 'SIGNATURE_INVALID', wrong.body.message]);
    expect((await create({ signature: { password: 'not-the-password' } })).status).toBe(401);
    // Only an instance admin creates a study.
    expect((await create({}, tokens.statistician)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("[MS-006] creation takes the admin's and the trial statistician's signatures; the study starts in setup with its own chain, its statistician its only member", async () => {
    const made = await create({});
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ code: B, status: 'setup', role: null, statistician: 'statistician' });
    expect(made.body.signatureIds).toHaveLength(2);
    // The creator holds no role in it: the study is listed for them (instance admin) but closed (404).
    expect((await rolesOf(tokens.admin))[B]).toBeNull();
    expect((await t.api.get(`/api/studies/${B}/study`, tokens.admin)).status).toBe(404);
    expect((await rolesOf(tokens.statistician))[B]).toBe('statistician');
    expect((await rolesOf(tokens.investigator1))[B]).toBeUndefined();
    expect((await t.api.get(`/api/studies/${B}/study`, tokens.statistician)).status).toBe(200);
    const [row] = await raw.all('SELECT id, status, protocol_sha256 FROM study WHERE code = ?', [B]);
    expect(row.status).toBe('setup');
    expect(row.protocol_sha256).toBe(createHash('sha256').update(protocol('parallel-2to1.yaml')).digest('hex'));
    // Its own chain: starts at SHA-256("blindrand chain " + code) with the creation, verifies alone.
    const entries = await raw.all(
      'SELECT seq, action, prev_hash, details FROM audit_log WHERE chain = ? ORDER BY seq',
      [Number(row.id)],
    );
    expect(entries.map((e) => [Number(e.seq), e.action])).toEqual([
      [1, 'study.created'],
      [2, 'study.member_granted'],
    ]);
    expect(entries[0].prev_hash).toBe(createHash('sha256').update(`blindrand chain ${B}`).digest('hex'));
    expect(await verifyChain(B)).toMatchObject({ valid: true, count: 2 });
    expect(await verifyChain(A)).toMatchObject({ valid: true });
    expect((await chainActions(A)).filter((a) => a.startsWith('study.'))).not.toContain('study.created');
    const created = {
      details: typeof entries[0].details === 'string' ? JSON.parse(entries[0].details) : entries[0].details,
    };
    expect(created.details).toMatchObject({ createdBy: 'admin', statistician: 'statistician', status: 'setup' });
    // Both signatures verify against the study as stored.
    for (const sig of made.body.signatureIds) {
      const v = await t.api.get(`/api/studies/${B}/signatures/${sig}/verification`, tokens.statistician);
      expect([v.status, v.body.valid, v.body.recordType]).toEqual([200, true, 'study.creation']);
    }
    expect(created.details.signatures.map((s: { signerUsername: string }) => s.signerUsername)).toEqual([
      'admin',
      'statistician',
    ]);
  });

  it('[MS-006] a code already used is refused (409) and nothing is written', async () => {
    const before = await counts();
    const again = await create({});
    expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
    const first = await create({ protocolYaml: protocol('msct-ms.yaml') });
    expect([first.status, first.body.code]).toEqual([409, 'CONFLICT']);
    const lower = await create({
      protocolYaml: protocol('parallel-2to1.yaml').replace(`code: ${B}`, 'code: msc-par21'),
    });
    expect(lower.status).toBe(409);
    // "instance" is the instance chain's name (its genesis): never a study's code, in any letter case.
    const instance = await create({
      protocolYaml: protocol('parallel-2to1.yaml').replace(`code: ${B}`, 'code: Instance'),
    });
    expect([instance.status, instance.body.code]).toEqual([409, 'CONFLICT']);
    expect(await counts()).toEqual(before);
  });

  it('[MS-007] one person holds different roles in two studies, given through the members API', async () => {
    const given = await grant(B, { username: 'pharmacist', role: 'auditor', reason: 'inspects study B' });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ status: 'granted', member: { username: 'pharmacist', role: 'auditor' } });
    const inv = await grant(B, { username: 'investigator1', role: 'investigator', siteCodes: ['B'] });
    expect(inv.body.member).toMatchObject({ role: 'investigator', siteCodes: ['B'], grantedBy: 'admin' });
    expect(await rolesOf(tokens.pharmacist)).toMatchObject({ [A]: 'pharmacist', [B]: 'auditor' });
    // The pharmacist of A reads B's audit trail as its auditor, and A's not at all.
    expect((await t.api.get(`/api/studies/${B}/audit`, tokens.pharmacist)).status).toBe(200);
    expect((await t.api.get(`/api/studies/${A}/audit`, tokens.pharmacist)).status).toBe(403);
    // Bad requests: an investigator without a site or with an unknown one, sites for a role without, no such person.
    expect((await grant(B, { username: 'monitor', role: 'investigator' })).status).toBe(400);
    expect((await grant(B, { username: 'monitor', role: 'investigator', siteCodes: ['ZZ'] })).status).toBe(400);
    expect((await grant(B, { username: 'monitor', role: 'auditor', siteCodes: ['A'] })).status).toBe(400);
    expect((await grant(B, { username: 'nobody-here', role: 'auditor' })).status).toBe(404);
    expect((await grant(B, { username: 'monitor', role: 'no-such-role' })).status).toBe(400);
    // The first study's roles follow the accounts (PATCH /api/users): the members API does not change them.
    expect((await grant(A, { username: 'monitor', role: 'auditor' })).status).toBe(409);
  });

  it('[MS-007] a sensitive role is held until a second person approves it; the admin cannot approve their own grant nor grant themselves a role', async () => {
    const held = await grant(B, { username: 'auditor', role: 'pharmacist', reason: 'unblinded pharmacist of B' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      status: 'held',
      member: null,
      grant: { status: 'pending', role: 'pharmacist', username: 'auditor', requestedBy: 'admin', studyCode: B },
    });
    // Nothing yet: the auditor has no role in B.
    expect((await t.api.get(`/api/studies/${B}/study`, tokens.auditor)).status).toBe(404);
    const id = held.body.grant.id;
    // Not the requester; not someone whose approving role is held in another study only; not a role without it.
    expect((await decide(id, tokens.admin)).status).toBe(403);
    expect((await decide(id, tokens.randstat)).status).toBe(403);
    expect((await decide(id, tokens.auditor)).status).toBe(403);
    expect((await t.api.get(`/api/studies/${B}/members`, tokens.admin)).body.pendingGrants).toEqual([
      expect.objectContaining({ id, role: 'pharmacist', username: 'auditor' }),
    ]);
    // The instance admin never grants themselves a role, sensitive or not.
    for (const role of ['auditor', 'pharmacist'])
      expect((await grant(B, { username: 'admin', role })).status).toBe(403);
    // A second, independent admin approves (signed): now the auditor of A is B's pharmacist.
    const approved = await decide(id, tokens.admin2);
    expect([approved.status, approved.body.status, approved.body.studyCode]).toEqual([200, 'approved', B]);
    expect(await rolesOf(tokens.auditor)).toMatchObject({ [A]: 'auditor', [B]: 'pharmacist' });
    // The role is B's pharmacist's, second-factor rule included: the auditor's account must enrol one before B opens.
    const opened = await t.api.get(`/api/studies/${B}/study`, tokens.auditor);
    expect([opened.status, opened.body.code]).toEqual([403, 'MFA_ENROLMENT_REQUIRED']);
    // Requested and decided in B's chain, not A's.
    expect(await chainActions(B)).toEqual(expect.arrayContaining(['user.grant_requested', 'user.grant_approved']));
    expect(await chainActions(A)).not.toContain('user.grant_approved');
  });

  it("[MS-007] revoked rows are kept and listed; every change is in the study's own chain, which verifies", async () => {
    const revoked = await revoke(B, 'pharmacist');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', member: { username: 'pharmacist', revokedBy: 'admin' } });
    expect((await t.api.get(`/api/studies/${B}/audit`, tokens.pharmacist)).status).toBe(404);
    expect((await revoke(B, 'pharmacist')).status).toBe(404);
    // The study's auditor reads the membership (not change it); the instance admin reads it without a role in B.
    await grant(B, { username: 'monitor', role: 'auditor' });
    const list = await t.api.get(`/api/studies/${B}/members`, tokens.monitor);
    expect(list.status).toBe(200);
    const rows = list.body.members.map((m: any) => [m.username, m.role, m.grantedBy, m.revokedBy]);
    expect(rows).toEqual([
      ['statistician', 'statistician', 'admin', null],
      ['pharmacist', 'auditor', 'admin', 'admin'],
      ['investigator1', 'investigator', 'admin', null],
      ['auditor', 'pharmacist', 'admin', null],
      ['monitor', 'auditor', 'admin', null],
    ]);
    expect(list.body.pendingGrants).toEqual([]);
    expect((await grant(B, { username: 'randstat', role: 'auditor' }, tokens.monitor)).status).toBe(403);
    expect((await t.api.get(`/api/studies/${B}/members`, tokens.admin)).status).toBe(200);
    // Someone with no role in B: the same 404 as everywhere in B.
    expect((await t.api.get(`/api/studies/${B}/members`, tokens.randstat)).status).toBe(404);
    // B's chain holds every change, and only B's; it verifies alone.
    expect(await chainActions(B)).toEqual([
      'study.created',
      'study.member_granted',
      'study.member_granted',
      'study.member_granted',
      'user.grant_requested',
      'notification.sent',
      'user.grant_approved',
      'notification.sent',
      'study.member_revoked',
      'study.member_granted',
    ]);
    expect(await verifyChain(B)).toMatchObject({ valid: true, count: 10 });
    expect(await chainActions(A)).not.toContain('study.member_revoked');
  });
  it('[MS-007] a randomization statistician approves grants of their own study only once they hold that role there', async () => {
    const held = await grant(B, { username: 'randstat', role: 'randomization_statistician' });
    expect(held.body.status).toBe('held');
    expect((await decide(held.body.grant.id, tokens.admin2)).status).toBe(200);
    expect((await rolesOf(tokens.randstat))[B]).toBe('randomization_statistician');
    const monitor = await grant(B, { username: 'statistician2', role: 'medical_monitor' });
    expect(monitor.body.status).toBe('held');
    const approved = await decide(monitor.body.grant.id, tokens.randstat);
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    expect((await rolesOf(tokens.statistician2))[B]).toBe('medical_monitor');
    expect(await verifyChain(B)).toMatchObject({ valid: true });
  });
});
