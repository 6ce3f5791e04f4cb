/**
 * B4b — `audit verify` as a user runs it (the CLI in its own process, on a SQLite file), for a chain
 * of 100,000 and 1,000,000 entries: wall time and peak resident memory (/usr/bin/time), against
 * SHA-256 over the same bytes (prevHash + canonical JSON of each entry) in this process. The
 * verifier reads the chain in pages inside one snapshot (audit-verify.ts), so its memory should
 * not grow with the chain. Asserts nothing. Run: node dist/bench/audit-verify.bench.js [sizes…]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../shared/canonical-json.js';
import { entryHash } from '../server/src/modules/audit/audit-chain.js';
import { startTestApp } from '../test/support/test-app.js';
import { machine } from './support.js';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(100_000, 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'blindrand-verify-bench-'));

// A real database (migrations, bootstrap entries and checkpoints, the signing key), copied live.
const app = await startTestApp();
const base = join(work, 'base.sqlite');
try {
  await new Database(join(app.dir, 'db.sqlite'), { readonly: true }).backup(base);
  copyFileSync(join(app.dir, 'audit-signing.key'), join(work, 'audit-signing.key'));
} finally {
  await app.close();
}

console.log(`machine: ${machine()}`);
for (const size of sizes) {
  const file = join(work, `chain-${size}.sqlite`);
  copyFileSync(base, file);
  const db = new Database(file);
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string };
  const insert = db.prepare('INSERT INTO audit_log (seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  let { seq, hash } = head;
  let hashSeconds = 0;
  db.transaction(() => {
    while (seq < size) {
      seq += 1;
      const content = { seq, at, actor: 'investigator1', role: 'investigator', action: 'participant.registered', entityType: 'participant', entityId: `p-${seq}`, reason: null, details: { number: seq, site: 'A', stratum: 'course=RRMS|edss=LE5|site=A' } };
      const next = entryHash(hash, content);
      // The floor: SHA-256 of exactly the bytes the chain hashes, timed entry by entry.
      const bytes = hash + canonicalJson(content);
      const t0 = performance.now();
      createHash('sha256').update(bytes, 'utf8').digest('hex');
      hashSeconds += (performance.now() - t0) / 1000;
      insert.run(seq, at, content.actor, content.role, content.action, content.entityType, content.entityId, null, JSON.stringify(content.details), hash, next);
      hash = next;
    }
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(seq, hash);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', 'node', 'server/bin/cli.mjs', 'audit', 'verify', '--db', file], { encoding: 'utf8' });
  const out = run.stdout;
  const timeLine = run.stderr;
  const [, seconds, kb] = /TIME ([\d.]+) (\d+)/.exec(timeLine) ?? [];
  console.log(`audit verify, ${size.toLocaleString('en-US')} entries: ${out.split('\n')[0]}; ${seconds} s (process, start-up included), peak RSS ${(Number(kb) / 1024).toFixed(0)} MiB; SHA-256 of the same bytes alone: ${hashSeconds.toFixed(2)} s; ratio ${(Number(seconds) / hashSeconds).toFixed(2)}×`);
  if (!process.env.KEEP) rmSync(file, { force: true });
}
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
