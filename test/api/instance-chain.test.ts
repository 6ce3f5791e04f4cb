/**
 * The instance's own audit chain (docs/MULTI-STUDY.md decision 4, issue 16 Build 1): accounts, sign-in,
 * sites… are written to chain 0, not to a study's; chain 0 has its signed checkpoints (database and
 * checkpoint file), verifies alone through the API and the CLI, a tampered entry is found by both, and
 * start-up refuses a database whose chain 0 is behind the checkpoint file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { checkStartup } from '../../server/src/startup/startup-check.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY as CLI } from '../support/index.js';
import { waitFor } from './fixtures/unblinding-helpers.js';

describe(`the instance audit chain (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};
  let userId: string;

  /**
   * `audit verify --instance` on the test's database, its key and checkpoint file. Asynchronous: a spawnSync
   * would block the event loop past the server's keep-alive timeout, and the next request would reuse a
   * socket the server closed meanwhile.
   */
  const cliVerify = async () => {
    const db = t.config.database;
    const target = db.dialect === 'sqlite' ? ['--db', db.path] : ['--database-url', db.url];
    const args = [CLI, 'audit', 'verify', '--instance', ...target, '--key', t.config.signingKeyPath];
    args.push('--checkpoint-file', t.config.checkpointLogPath, '--json');
    const r = await promisify(execFile)('node', args, { encoding: 'utf8' }).then(
      (ok) => ({ status: 0, ...ok }),
      (err: { code: number; stdout: string; stderr: string }) => ({ status: err.code, ...err }),
    );
    return { status: r.status, result: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
  };

  /** The checkpoint file's lines, parsed. */
  const checkpointLines = (): Array<Record<string, unknown>> =>
    readFileSync(t.config.checkpointLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    for (const u of ['admin', 'auditor', 'monitor']) tokens[u] = await t.api.login(u);
    const created = await t.api.post(
      '/api/users',
      {
        username: 'ic-inv',
        displayName: 'Instance chain',
        role: 'investigator',
        siteCodes: ['A'],
        email: 'ic-inv@test.local',
      },
      tokens.admin,
    );
    expect([created.status, created.body.message]).toEqual([201, undefined]);
    userId = created.body.id;
    expect(
      (await t.api.patch('/api/sites/A', { name: 'Site A (renamed)', reason: 'chain 0' }, tokens.admin)).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('[MS-009] sign-in, account creation and a site change land in chain 0, not in a study chain', async () => {
    const instance = async (q: string) => (await t.api.get(`/api/admin/audit?${q}`, tokens.admin)).body.entries;
    const study = async (q: string) => (await t.api.get(`/api/audit?${q}`, tokens.auditor)).body.entries;
    expect(await instance(`action=user.created&entityId=${userId}`)).toHaveLength(1);
    expect(await study(`action=user.created&entityId=${userId}`)).toHaveLength(0);
    expect((await instance('action=site.updated&entityId=A'))[0].reason).toBe('chain 0');
    expect(await study('action=site.updated&entityId=A')).toHaveLength(0);
    const logins = await instance('action=auth.login&limit=500');
    expect(logins.map((e: { actor: string }) => e.actor)).toEqual(
      expect.arrayContaining(['admin', 'auditor', 'monitor']),
    );
    // The rows themselves say so: every one of these entries is in chain 0.
    const rows = await raw.all(
      "SELECT DISTINCT chain FROM audit_log WHERE (action = 'user.created' AND entity_id = ?) OR (action = 'site.updated' AND entity_id = 'A')",
      [userId],
    );
    expect(rows.map((r) => Number(r.chain))).toEqual([0]);
    // Chain 0 starts at SHA-256("blindrand chain instance") and is numbered from 1.
    const [firstEntry] = await raw.all('SELECT seq, prev_hash FROM audit_log WHERE chain = 0 ORDER BY seq LIMIT 1');
    expect(Number(firstEntry.seq)).toBe(1);
    const { createHash } = await import('node:crypto');
    expect(firstEntry.prev_hash).toBe(createHash('sha256').update('blindrand chain instance').digest('hex'));
  });

  it('[MS-009] an administrator or an auditor reads and verifies chain 0; another role is refused', async () => {
    for (const who of ['admin', 'auditor']) {
      const verify = await t.api.get('/api/admin/audit/verify', tokens[who]);
      expect(verify.status).toBe(200);
      expect(verify.body.valid).toBe(true);
      expect(verify.body.count).toBeGreaterThan(3);
    }
    expect((await t.api.get('/api/admin/audit', tokens.monitor)).status).toBe(403);
    expect((await t.api.get('/api/admin/audit/verify', tokens.monitor)).status).toBe(403);
  });

  it('[MS-009] chain 0 seals signed checkpoints, in the database and in the checkpoint file with "chain": 0', async () => {
    const sealed = await t.api.post('/api/admin/audit/checkpoints', { reason: 'instance checkpoint' }, tokens.admin);
    expect(sealed.status).toBe(201);
    const listed = (await t.api.get('/api/admin/audit/checkpoints', tokens.auditor)).body;
    expect(listed.at(-1)).toEqual(sealed.body);
    const [head] = await raw.all('SELECT seq, hash FROM audit_head WHERE id = 0');
    expect(sealed.body).toMatchObject({ size: Number(head.seq), headHash: head.hash });
    // The study's checkpoints are another list.
    const studyList = (await t.api.get('/api/audit/checkpoints', tokens.auditor)).body;
    expect(studyList).not.toContainEqual(sealed.body);
    // The file line is appended after commit: wait for it (20 s at most) rather than for a fixed pause.
    const line = await waitFor('the checkpoint line', async () =>
      checkpointLines().find((l) => l.chain === 0 && l.size === sealed.body.size),
    );
    expect(line).toEqual({ chain: 0, ...sealed.body });
    const verify = (await t.api.get('/api/admin/audit/verify', tokens.admin)).body;
    expect(verify).toMatchObject({ valid: true, checkpoint: { size: sealed.body.size, signatureValid: true } });
    const cli = await cliVerify();
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.result).toMatchObject({ valid: true, count: verify.count });
  });

  it('[MS-009] a tampered chain 0 entry is detected by the API and by `audit verify --instance`', async () => {
    const [row] = await raw.all(
      "SELECT seq, reason FROM audit_log WHERE chain = 0 AND action = 'site.updated' AND entity_id = 'A'",
    );
    const seq = Number(row.seq);
    await raw.run('UPDATE audit_log SET reason = ? WHERE chain = 0 AND seq = ?', ['quietly changed', seq]);
    try {
      const api = (await t.api.get('/api/admin/audit/verify', tokens.auditor)).body;
      expect(api).toMatchObject({ valid: false, firstInvalidSeq: seq });
      const cli = await cliVerify();
      expect(cli.status).toBe(2);
      expect(cli.result).toMatchObject({ valid: false, firstInvalidSeq: seq });
      // The study's chain does not hold it and still verifies.
      expect((await t.api.get('/api/audit/verify', tokens.auditor)).body.valid).toBe(true);
    } finally {
      await raw.run('UPDATE audit_log SET reason = ? WHERE chain = 0 AND seq = ?', [row.reason, seq]);
    }
    expect((await t.api.get('/api/admin/audit/verify', tokens.auditor)).body.valid).toBe(true);
  });

  it('[MS-009] start-up refuses a database whose chain 0 is behind the checkpoint file', async () => {
    await expect(checkStartup(t.config)).resolves.toBeDefined();
    const sealed = (await t.api.post('/api/admin/audit/checkpoints', { reason: 'before the rollback' }, tokens.admin))
      .body;
    await waitFor('the checkpoint line', async () =>
      checkpointLines().some((l) => l.chain === 0 && l.size === sealed.size),
    );
    // Roll chain 0 back by one entry, as a restore of an older backup would (the study chain is untouched).
    const [prev] = await raw.all('SELECT seq, prev_hash FROM audit_log WHERE chain = 0 AND seq = ?', [sealed.size]);
    const [kept] = await raw.all('SELECT * FROM audit_log WHERE chain = 0 AND seq = ?', [sealed.size]);
    await raw.run('DELETE FROM audit_log WHERE chain = 0 AND seq = ?', [sealed.size]);
    await raw.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 0', [sealed.size - 1, prev.prev_hash]);
    try {
      await expect(checkStartup(t.config)).rejects.toThrow(
        new RegExp(
          `database looks restored from a backup: the checkpoint file \\S+ holds a signed checkpoint of the instance chain \\(0\\) at entry ${sealed.size}, but the database's instance chain \\(0\\) ends at entry ${sealed.size - 1}`,
        ),
      );
    } finally {
      const columns = Object.keys(kept);
      await raw.run(
        `INSERT INTO audit_log (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        columns.map((c) => kept[c]),
      );
      await raw.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 0', [sealed.size, sealed.headHash]);
    }
    await expect(checkStartup(t.config)).resolves.toBeDefined();
  });

  it('[MS-009] [REV-001] the access review reads account entries from chain 0, and a second study its study_roles history', async () => {
    // The first study: the account created above shows with who created it (its entry is in chain 0).
    const first = (await t.api.get('/api/study', tokens.admin)).body.code;
    const report = (await t.api.get(`/api/studies/${first}/access-review`, tokens.admin)).body.content;
    expect(report.accounts.find((a: { username: string }) => a.username === 'ic-inv')).toMatchObject({
      role: 'investigator',
      createdBy: 'admin',
      roleGrantedBy: 'admin',
    });
    // A second study (inserted directly, as study-routes.test.ts does): the auditor is its auditor, the
    // monitor was an auditor there and no longer is, nobody else holds a role in it.
    const [row] = await raw.all('SELECT * FROM study WHERE id = 1');
    const columns = Object.keys(row);
    const values = columns.map((c) => (c === 'id' ? '2' : c === 'code' ? "'IC-SECOND'" : c));
    await raw.run(`INSERT INTO study (${columns.join(', ')}) SELECT ${values.join(', ')} FROM study WHERE id = 1`);
    await raw.run(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at, revoked_by, revoked_at)
       SELECT 'ic-' || username, 2, id, 'auditor', '[]', 'granter', '2026-01-02T00:00:00.000Z',
              CASE WHEN username = 'monitor' THEN 'revoker' END,
              CASE WHEN username = 'monitor' THEN '2026-01-03T00:00:00.000Z' END
         FROM users WHERE username IN ('auditor', 'monitor')`,
    );
    const second = await t.api.get('/api/studies/IC-SECOND/access-review', tokens.auditor);
    expect(second.status).toBe(200);
    expect(second.body.content.accounts).toEqual([
      expect.objectContaining({
        username: 'auditor',
        role: 'auditor',
        roleSince: '2026-01-02T00:00:00.000Z',
        roleGrantedBy: 'granter',
      }),
    ]);
    const roleChanges = second.body.content.changes
      .filter((c: { action: string }) => c.action.startsWith('study_role.'))
      .map((c: { action: string; username: string; actor: string }) => [c.action, c.username, c.actor]);
    expect(roleChanges.sort()).toEqual([
      ['study_role.granted', 'auditor', 'granter'],
      ['study_role.granted', 'monitor', 'granter'],
      ['study_role.revoked', 'monitor', 'revoker'],
    ]);
    // Account entries there never carry the first study's role (users.role): that is not this study's.
    for (const c of second.body.content.changes.filter((x: { action: string }) => x.action.startsWith('user.')))
      expect(c.fields.map((f: { field: string }) => f.field)).not.toContain('role');
  });
});
