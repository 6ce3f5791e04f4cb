/**
 * Migration 004 on a chain written by the old build (arm content hashed in plaintext): the chain keeps
 * verifying (server and CLI), the legacy hashes that would test a guess are withheld from blinded
 * readers, the re-anchor entry links new entries to the legacy head through a secret commitment, and
 * blinded readers verify the chain from the anchor on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { canonicalJson } from '../../shared/canonical-json.js';
import {
  checkpointMessage,
  entryHash,
  GENESIS_HASH,
  publicKeyFromBase64,
  verifyChain,
} from '../../server/src/database/audit/audit-chain.js';
import { sealStateFromEntries, UNBLINDED_DETAILS_KEY, WITHHELD } from '../../server/src/database/audit/audit-seal.js';
import { SigningKey } from '../../server/src/database/audit/signing-key.js';
import { downStatements, STEPS } from '../../server/src/database/migrations/index.js';
import { demoProtocol, newParticipant, randomize } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { signed } from './fixtures/unblinding-helpers.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const ARMS = demoProtocol().arms.map((a) => a.code);
const PRODUCTS = demoProtocol().products.map((p) => p.code);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Stops the app but keeps its folder (database, key, checkpoint file) for the next start. */
async function stopKeepingFiles(t: TestApp): Promise<void> {
  const exited = new Promise((r) => t.child.once('exit', r));
  t.child.send({ type: 'close' });
  await exited;
}

/** Rewrites a sealed chain the way the old build wrote it: plaintext hashed, checkpoints re-signed, no migration 004. */
async function downgradeToLegacy(raw: RawDb, t: TestApp): Promise<Map<number, { hash: string; content: unknown }>> {
  // The release before 004 also predates the audit chain column (migration 018): undo it and what follows.
  const from = STEPS.findIndex((step) => step.name === 'StudyScope1764070000018');
  // Nor had it an instance chain (0): this run's sign-ins went there; the old build would have put them in
  // the one chain, which the rewrite below stands for without them.
  for (const table of ['audit_sealed', 'audit_checkpoints', 'audit_log'])
    await raw.run(`DELETE FROM ${table} WHERE chain = 0`);
  await raw.run('DELETE FROM audit_head WHERE id = 0');
  for (const step of STEPS.slice(from).reverse()) {
    for (const statement of downStatements(step, t.config.database.dialect)) await raw.run(statement);
    await raw.run('DELETE FROM schema_migrations WHERE name = ?', [step.name]);
  }
  const rows = await raw.all(
    'SELECT l.*, s.content AS sealed_content FROM audit_log l LEFT JOIN audit_sealed s ON s.seq = l.seq ORDER BY l.seq',
  );
  const legacy = new Map<number, { hash: string; content: unknown }>();
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const details = JSON.parse(r.details);
    if (r.sealed_content) details[UNBLINDED_DETAILS_KEY] = JSON.parse(r.sealed_content);
    const hash = entryHash(prev, {
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      role: r.role,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      reason: r.reason,
      details,
    });
    await raw.run('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
      JSON.stringify(details),
      prev,
      hash,
      r.seq,
    ]);
    if (r.sealed_content) legacy.set(Number(r.seq), { hash, content: JSON.parse(r.sealed_content) });
    prev = hash;
  }
  await raw.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [rows.length, prev]);
  const key = SigningKey.load(t.config.signingKeyPath);
  const lines: string[] = [];
  for (const c of await raw.all('SELECT size, at FROM audit_checkpoints ORDER BY size')) {
    const [h] = await raw.all('SELECT hash FROM audit_log WHERE seq = ?', [c.size]);
    const cp = {
      size: Number(c.size),
      headHash: String(h.hash),
      at: String(c.at),
      signature: key.sign(checkpointMessage({ size: Number(c.size), headHash: h.hash, at: c.at })),
      publicKey: key.publicKeyBase64,
    };
    await raw.run('UPDATE audit_checkpoints SET head_hash = ?, signature = ? WHERE size = ?', [
      cp.headHash,
      cp.signature,
      cp.size,
    ]);
    lines.push(JSON.stringify(cp) + '\n');
  }
  writeFileSync(t.config.checkpointLogPath, lines.join(''));
  await raw.run('DROP TABLE audit_sealed');
  await raw.run('DROP TABLE audit_seal_state');
  await raw.run("DELETE FROM schema_migrations WHERE name = 'SealedAudit1764070000004'");
  return legacy;
}

describe(`migration 004 re-anchors a legacy chain (${usingPostgres ? 'PostgreSQL' : 'SQLite'}) [AUDIT-006]`, () => {
  let old: TestApp;
  let t: TestApp;
  let raw: RawDb;
  let legacy: Map<number, { hash: string; content: unknown }>;
  let legacySize: number;

  beforeAll(async () => {
    old = await startTestApp({ CHECKPOINT_EVERY: '5' });
    const inv = await old.api.login('investigator1');
    const pharmacist = await old.api.login('pharmacist');
    const patients: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await newParticipant(old.api, inv, { course: i % 2 ? 'RRMS' : 'SPMS', edss: 4 });
      expect((await randomize(old.api, inv, id, `legacy-${i}-${Date.now()}`)).status).toBe(201);
      patients.push(id);
    }
    expect(
      (
        await old.api.post(
          '/api/pharmacy/dispensations',
          { participantId: patients[0], period: 1, lotNumber: 'LOT-L1', ...signed() },
          pharmacist,
        )
      ).status,
    ).toBe(201);
    await stopKeepingFiles(old);
    raw = await openRawDb(old.config);
    legacy = await downgradeToLegacy(raw, old);
    legacySize = Number((await raw.all('SELECT COUNT(*) AS n FROM audit_log'))[0].n);
    const db = old.config.database;
    t = await startTestApp({
      CHECKPOINT_EVERY: '5',
      SIGNING_KEY_PATH: old.config.signingKeyPath,
      ...(db.dialect === 'sqlite' ? { DATABASE_PATH: db.path } : { DATABASE_URL: db.url }),
    });
    const inv2 = await t.api.login('investigator1');
    for (let i = 0; i < 2; i++)
      expect(
        (await randomize(t.api, inv2, await newParticipant(t.api, inv2, { edss: 4 }), `after-${i}-${Date.now()}`))
          .status,
      ).toBe(201);
    expect(
      (await t.api.post('/api/audit/checkpoints', { reason: 'after the upgrade' }, await t.api.login('auditor')))
        .status,
    ).toBe(201);
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
    if (old) rmSync(old.dir, { recursive: true, force: true });
  });

  it('the upgraded chain verifies on the server and offline, legacy part included', async () => {
    const auditor = await t.api.login('auditor');
    const verify = (await t.api.get('/api/audit/verify', auditor)).body;
    expect(verify).toMatchObject({ valid: true, firstInvalidSeq: null, problems: [] });
    const [anchor] = await raw.all("SELECT * FROM audit_log WHERE action = 'audit.seal_anchor'");
    expect(Number(anchor.seq)).toBe(legacySize + 1);
    if (t.config.database.dialect === 'sqlite') {
      const out = execFileSync('node', [CLI, 'audit', 'verify', '--db', t.config.database.path], { encoding: 'utf8' });
      expect(out).toMatch(/^VALID/);
    }
    // The legacy rows are still checked in full: one edited legacy row is found.
    const first = Math.min(...legacy.keys());
    const [row] = await raw.all('SELECT details FROM audit_log WHERE seq = ?', [first]);
    await raw.run('UPDATE audit_log SET details = ? WHERE seq = ?', [
      String(row.details).replace(/"armCode":"[^"]+"/, `"armCode":"${ARMS[1]}x"`),
      first,
    ]);
    expect((await t.api.get('/api/audit/verify', auditor)).body).toMatchObject({
      valid: false,
      firstInvalidSeq: first,
    });
    await raw.run('UPDATE audit_log SET details = ? WHERE seq = ?', [row.details, first]);
    expect((await t.api.get('/api/audit/verify', auditor)).body.valid).toBe(true);
  });

  it('blinded readers get no legacy hash that tests a guess, and verify the chain from the re-anchor entry on', async () => {
    const auditor = await t.api.login('auditor');
    const entries = (await t.api.get('/api/audit?limit=500', auditor)).body.entries;
    const first = Math.min(...legacy.keys());
    for (const e of entries.filter((x: any) => x.seq >= first && x.seq <= legacySize))
      expect([e.prevHash, e.hash]).toEqual([WITHHELD, WITHHELD]);
    for (const seq of legacy.keys())
      expect(entries.find((e: any) => e.seq === seq).details.unblinded).toBe('[redacted: blinded]');
    const checkpoints = (await t.api.get('/api/audit/checkpoints', auditor)).body;
    expect(checkpoints.every((c: any) => c.size < first || c.size > legacySize)).toBe(true);

    // Everything the auditor can read, against every arm guess for every legacy entry.
    const texts = [
      JSON.stringify(entries),
      JSON.stringify(checkpoints),
      (await t.api.get('/api/audit/export', auditor)).text,
      (await t.api.get('/api/audit/verify', auditor)).text,
    ];
    const visible = new Set(texts.flatMap((x) => [...x.matchAll(/[0-9a-f]{64}/g)].map((m) => m[0])));
    let oldRuleHits = 0;
    let hits = 0;
    for (const [seq, { hash, content }] of legacy) {
      // The old build showed `hash` for this entry, and the right guess reproduces it (the attack that worked).
      const [r] = await raw.all('SELECT * FROM audit_log WHERE seq = ?', [seq]);
      const field = 'armCode' in (content as object) ? 'armCode' : 'productCode';
      for (const value of field === 'armCode' ? ARMS : PRODUCTS) {
        const guess = { ...(content as object), [field]: value };
        const details = { ...JSON.parse(r.details), [UNBLINDED_DETAILS_KEY]: guess };
        const h = entryHash(r.prev_hash, {
          seq,
          at: r.at,
          actor: r.actor,
          role: r.role,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          reason: r.reason,
          details,
        });
        if (h === hash) oldRuleHits++;
        if (visible.has(h) || visible.has(sha256(canonicalJson(guess)))) hits++;
      }
    }
    // Later legacy hashes are functions of earlier guesses too: none of them is visible either.
    const legacyHashes = (
      await raw.all('SELECT hash FROM audit_log WHERE seq >= ? AND seq <= ?', [first, legacySize])
    ).map((r) => String(r.hash));
    console.log(
      `legacy seal: ${legacy.size} arm-bearing legacy entries; old-rule hits=${oldRuleHits}; hits on what blinded readers see now=${hits}; legacy hashes visible=${legacyHashes.filter((h) => visible.has(h)).length}`,
    );
    expect(oldRuleHits).toBe(legacy.size);
    expect(hits).toBe(0);
    expect(legacyHashes.filter((h) => visible.has(h))).toEqual([]);

    const result = verifyChain(entries, checkpoints, publicKeyFromBase64(checkpoints[0].publicKey), {
      state: sealStateFromEntries(entries),
      full: false,
    });
    expect(result).toMatchObject({ valid: true, problems: [] });
  });

  it('the re-anchor entry is bound to the legacy head: changing its sealed link is detected', async () => {
    const auditor = await t.api.login('auditor');
    const seq = legacySize + 1;
    const [sealed] = await raw.all('SELECT nonce, content FROM audit_sealed WHERE seq = ?', [seq]);
    await raw.run('UPDATE audit_sealed SET content = ? WHERE seq = ?', [
      JSON.stringify({ legacyHeadHash: GENESIS_HASH }),
      seq,
    ]);
    expect((await t.api.get('/api/audit/verify', auditor)).body).toMatchObject({ valid: false, firstInvalidSeq: seq });
    await raw.run('UPDATE audit_sealed SET content = ? WHERE seq = ?', [sealed.content, seq]);
    expect((await t.api.get('/api/audit/verify', auditor)).body.valid).toBe(true);
  });
});
