import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { canonicalJson } from '../../shared/canonical-json.js';
import { chainGenesis, entryHash } from '../../server/src/database/audit/audit-chain.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

/**
 * The chain's mechanics, on the chain the writes below land in: sites and accounts are the instance's
 * (chain 0, docs/MULTI-STUDY.md decision 4), read at /api/admin/audit. Every chain is written and verified
 * by the same code; a study's chain has its own tests (audit-seal, study-archive, reliability tamper).
 */
describe('the audit chain', () => {
  let t: TestApp;
  let admin: string;
  let raw: RawDb;
  beforeAll(async () => {
    t = await startTestApp({ CHECKPOINT_EVERY: '25' });
    admin = await t.api.login('admin');
    raw = await openRawDb(t.config);
  });
  afterAll(async () => {
    await raw.close();
    await t.close();
  });

  it('200 concurrent audited writes over HTTP, one rolled back on purpose: chain valid, contiguous, nothing of the rollback left [AUDIT-002]', async () => {
    const before = (await t.api.get('/api/admin/audit/verify', admin)).body.count;
    const requests = Array.from({ length: 200 }, (_, i) =>
      i === 137
        ? // inserted first, then fails its site check inside the same transaction → rolled back
          t.api.post(
            '/api/users',
            {
              username: 'rollback-victim',
              displayName: 'Never Saved',
              role: 'investigator',
              siteCodes: ['A', 'NO-SUCH-SITE'],
              email: 'victim@test.local',
            },
            admin,
          )
        : t.api.post('/api/sites', { code: `S${i}`, name: `Load site ${i}` }, admin),
    );
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(199);
    expect(results[137].status).toBe(400);
    expect(results[137].body.code).toBe('VALIDATION_FAILED');
    expect(statuses.filter((s) => s >= 500)).toHaveLength(0);

    const verify = await t.api.get('/api/admin/audit/verify', admin);
    console.log(
      `concurrent writes: ${verify.body.count - before} audit entries added by 199 commits; chain valid=${verify.body.valid}`,
    );
    expect(verify.body).toMatchObject({ valid: true, firstInvalidSeq: null, count: before + 199 });
    const seqs = (await raw.all('SELECT seq FROM audit_log WHERE chain = 0 ORDER BY seq')).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await raw.all("SELECT * FROM users WHERE username = 'rollback-victim'")).toHaveLength(0);
    const mentions = (await raw.all('SELECT details FROM audit_log')).filter((r) =>
      String(r.details).includes('rollback-victim'),
    );
    expect(mentions).toHaveLength(0);
  });

  it('records who, role, action, entity, reason and old/new values; pages with a cursor; filters [AUDIT-001]', async () => {
    const users = (await t.api.get('/api/users', admin)).body;
    const inv = users.find((u: any) => u.username === 'investigator2');
    const res = await t.api.patch(
      `/api/users/${inv.id}`,
      { displayName: 'Dr. Ivo Renamed', reason: 'name change' },
      admin,
    );
    expect(res.status).toBe(200);
    const page = await t.api.get(`/api/admin/audit?action=user.updated&entityId=${inv.id}`, admin);
    expect(page.body.entries).toHaveLength(1);
    const e = page.body.entries[0];
    expect(e).toMatchObject({
      actor: 'admin',
      role: 'admin',
      action: 'user.updated',
      entityType: 'user',
      entityId: inv.id,
      reason: 'name change',
    });
    expect(e.details.changes.displayName).toEqual({ old: 'Dr. Ivo Investigator (Site B)', new: 'Dr. Ivo Renamed' });
    expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const first = await t.api.get('/api/admin/audit?limit=10', admin);
    expect(first.body.entries.map((x: any) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.body.next).toBe(10);
    const second = await t.api.get(`/api/admin/audit?limit=10&after=${first.body.next}`, admin);
    expect(second.body.entries[0].seq).toBe(11);
    expect((await t.api.get('/api/admin/audit?limit=9999', admin)).body.code).toBe('VALIDATION_FAILED');

    const csv = await t.api.get(`/api/admin/audit/export?entityType=user&entityId=${inv.id}`, admin);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('seq,at,actor,role,action,entityType,entityId,reason,details,prevHash,hash');
    expect(lines.length - 1).toBe(
      (await t.api.get(`/api/admin/audit?entityType=user&entityId=${inv.id}&limit=500`, admin)).body.entries.length,
    );
    expect(csv.text).toContain('Dr. Ivo Renamed');
  });

  it('seals signed checkpoints every N entries and on demand [AUDIT-004]', async () => {
    const auditor = await t.api.login('auditor');
    const created = await t.api.post('/api/admin/audit/checkpoints', { reason: 'monthly review' }, auditor);
    expect(created.status).toBe(201);
    const head = await t.api.get('/api/admin/audit/verify', auditor);
    expect(created.body.size).toBe(head.body.count);
    const list = (await t.api.get('/api/admin/audit/checkpoints', auditor)).body;
    expect(list.length).toBeGreaterThanOrEqual(Math.floor(head.body.count / 25));
    expect(list.every((c: any) => typeof c.signature === 'string' && c.publicKey === list[0].publicKey)).toBe(true);
  });

  it('detects an edited row and names firstInvalidSeq (API and offline CLI) [AUDIT-003]', async () => {
    const target = 42;
    const [row] = await raw.all('SELECT details FROM audit_log WHERE chain = 0 AND seq = ?', [target]);
    await raw.run('UPDATE audit_log SET details = ? WHERE chain = 0 AND seq = ?', [
      String(row.details).replace('}', ',"x":1}'),
      target,
    ]);
    const res = await t.api.get('/api/admin/audit/verify', admin);
    expect(res.body).toMatchObject({ valid: false, firstInvalidSeq: target });
    if (!usingPostgres) {
      let out: string;
      let code = 0;
      try {
        out = execFileSync(
          'node',
          [
            CLI,
            'audit',
            'verify',
            '--instance',
            '--db',
            t.config.database.dialect === 'sqlite' ? t.config.database.path : '',
            '--json',
          ],
          { encoding: 'utf8' },
        );
      } catch (err: any) {
        out = err.stdout;
        code = err.status;
      }
      expect(code).toBe(2);
      expect(JSON.parse(out)).toMatchObject({ valid: false, firstInvalidSeq: target });
    }
    await raw.run('UPDATE audit_log SET details = ? WHERE chain = 0 AND seq = ?', [row.details, target]);
    expect((await t.api.get('/api/admin/audit/verify', admin)).body.valid).toBe(true);
  });

  it('detects rows deleted at the tail through the signed checkpoint [AUDIT-004]', async () => {
    const cp = await t.api.post('/api/admin/audit/checkpoints', {}, admin);
    const size = cp.body.size;
    const saved = await raw.all('SELECT * FROM audit_log WHERE chain = 0 AND seq > ? ORDER BY seq', [size - 3]);
    await raw.run('DELETE FROM audit_log WHERE chain = 0 AND seq > ?', [size - 3]);
    const res = await t.api.get('/api/admin/audit/verify', admin);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems.join(' ')).toMatch(/deleted/);
    expect(res.body.firstInvalidSeq).toBe(size - 2);
    for (const r of saved) {
      await raw.run(
        'INSERT INTO audit_log (chain, seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash) VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [r.seq, r.at, r.actor, r.role, r.action, r.entity_type, r.entity_id, r.reason, r.details, r.prev_hash, r.hash],
      );
    }
    expect((await t.api.get('/api/admin/audit/verify', admin)).body.valid).toBe(true);
  });

  it('detects a whole chain rebuilt by someone with database access (checkpoint signatures no longer match) [AUDIT-004]', async () => {
    const rows = await raw.all('SELECT * FROM audit_log WHERE chain = 0 ORDER BY seq');
    // The attacker rewrites entry 5 and recomputes every hash after it, so the chain is internally consistent…
    let prev = chainGenesis(0, '');
    for (const r of rows) {
      const details = Number(r.seq) === 5 ? { forged: true } : JSON.parse(r.details);
      const content = {
        seq: Number(r.seq),
        at: r.at,
        actor: r.actor,
        role: r.role,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        reason: r.reason,
        details,
      };
      const hash = entryHash(prev, content);
      await raw.run('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE chain = 0 AND seq = ?', [
        JSON.stringify(details),
        prev,
        hash,
        r.seq,
      ]);
      prev = hash;
    }
    await raw.run('UPDATE audit_head SET hash = ? WHERE id = 0', [prev]);
    // …and rewrites the stored checkpoint heads too. Without the private key the signatures cannot follow.
    for (const c of await raw.all('SELECT size FROM audit_checkpoints WHERE chain = 0')) {
      const [h] = await raw.all('SELECT hash FROM audit_log WHERE chain = 0 AND seq = ?', [c.size]);
      await raw.run('UPDATE audit_checkpoints SET head_hash = ? WHERE chain = 0 AND size = ?', [h.hash, c.size]);
    }
    const res = await t.api.get('/api/admin/audit/verify', admin);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems.join(' ')).toMatch(/signature does not verify|differs from the signed head/);
    expect(canonicalJson(res.body.checkpoint)).toContain('"signatureValid"');
  });
});
