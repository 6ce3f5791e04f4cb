/**
 * B4b — `audit verify` for a chain of 100,000 and 1,000,000 entries on a SQLite file, in one run:
 * the CLI as a user runs it (its own process, start-up included; wall time and peak RSS from
 * /usr/bin/time), the same verification timed inside a process with its peak RSS and peak V8 heap
 * (bench/audit-verify-child.ts), and the floor: SHA-256 over exactly the bytes the chain hashes
 * (prevHash + canonical JSON of each entry), one digest per entry in a tight loop. Fastest of RUNS
 * (default 3) runs each; the load average is printed beside the figures. Asserts nothing.
 * Run: node dist/bench/audit-verify.bench.js [sizes…]   (KEEP=1 keeps the files)
 */
import { spawnSync } from 'node:child_process';
import { createHash, hash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { canonicalJson } from '../shared/canonical-json.js';
import { entryHash, entryText } from '../server/src/database/audit/audit-chain.js';
import { toStoredEntry } from '../server/src/modules/audit/audit.repository.js';
import { startTestApp } from '../test/support/test-app.js';
import { machine } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));
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

const runs = Number(process.env.RUNS ?? 3);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `machine: ${machine()}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; fastest of ${runs} runs each`,
);
for (const size of sizes) {
  const file = join(work, `chain-${size}.sqlite`);
  copyFileSync(base, file);
  const texts = writeChain(file, size);

  // The floor: SHA-256 of exactly the bytes the chain hashes (prevHash ‖ canonical JSON, one digest per
  // entry), with node:crypto's fastest call, the texts built beforehand and hashed in a tight loop.
  const floor = fastest(runs, () => {
    const t0 = performance.now();
    for (const text of texts) hash('sha256', text, 'hex');
    return (performance.now() - t0) / 1000;
  });
  // The same in CPU seconds: on a shared machine the wall clock measures the neighbours too.
  const floorCpu = fastest(runs, () => {
    const c0 = process.cpuUsage();
    for (const text of texts) hash('sha256', text, 'hex');
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  });
  const createHashFloor = fastest(runs, () => {
    const t0 = performance.now();
    for (const text of texts) createHash('sha256').update(text, 'utf8').digest('hex');
    return (performance.now() - t0) / 1000;
  });
  // What the floor is made of: the same digests from bytes already encoded (one Buffer per entry, no UTF-8
  // encoding of a string), and SHA-256 over all the bytes in one pass (the compression alone, no per-call cost).
  const bytes = bufferFloors(texts, runs);
  const stored = storedCanonicalFloor(join(work, `canonical-${size}.sqlite`), texts, runs);
  texts.length = 0;

  // The CLI as a user runs it: its own process, start-up included, peak RSS from /usr/bin/time.
  let cli = { seconds: Infinity, cpu: Infinity, rssKiB: 0, line: '' };
  for (let r = 0; r < runs; r++) {
    const run = spawnSync(
      '/usr/bin/time',
      ['-f', 'TIME %e %M %U %S', 'node', 'server/bin/cli.mjs', 'audit', 'verify', '--db', file],
      { encoding: 'utf8' },
    );
    const [, seconds, kb, user, sys] = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? [];
    if (Number(seconds) < cli.seconds)
      cli = {
        seconds: Number(seconds),
        cpu: Number(user) + Number(sys),
        rssKiB: Number(kb),
        line: run.stdout.split('\n')[0],
      };
  }
  // The same verification inside one process: its own time, peak RSS and peak heap sampled per page.
  let inner = { seconds: Infinity, cpuSeconds: Infinity, peakRss: 0, peakHeap: 0, valid: false, count: 0 };
  for (let r = 0; r < runs; r++) {
    const run = spawnSync('node', [join(here, 'audit-verify-child.js'), file, join(work, 'audit-signing.key')], {
      encoding: 'utf8',
    });
    if (!run.stdout)
      throw new Error(`audit-verify-child failed: ${run.stderr || run.error?.message || `exit ${run.status}`}`);
    const res = JSON.parse(run.stdout) as typeof inner;
    if (res.cpuSeconds < inner.cpuSeconds) inner = res;
  }
  console.log(`\n${size.toLocaleString('en-US')} entries (load ${loadavg()[0].toFixed(1)}): ${cli.line}`);
  console.log(
    `  SHA-256 of the same bytes alone: ${floor.toFixed(3)} s wall, ${floorCpu.toFixed(3)} s CPU with crypto.hash (${createHashFloor.toFixed(3)} s wall with createHash)`,
  );
  console.log(
    `  the same digests from Buffers: ${bytes.perEntry.toFixed(3)} s CPU; all the bytes in one SHA-256 pass: ${bytes.onePass.toFixed(3)} s CPU (the rest of the floor is crypto.hash's per-call cost)`,
  );
  console.log(
    `  floor of a stored-canonical-bytes design (one row = seq, hash, canonical text; no column checked, no start-up): read ${stored.read.toFixed(3)} s CPU, read + SHA-256 ${stored.verify.toFixed(3)} s CPU = ${(stored.verify / floorCpu).toFixed(2)}× the SHA-256 CPU`,
  );
  console.log(
    `  audit verify, CLI process (start-up included): ${cli.seconds.toFixed(2)} s wall, ${cli.cpu.toFixed(2)} s CPU, peak RSS ${mib(cli.rssKiB * 1024)} MiB; ratio ${(cli.seconds / floor).toFixed(2)}× wall, ${(cli.cpu / floorCpu).toFixed(2)}× CPU`,
  );
  const native = nativeFloor(file, runs);
  console.log(
    native === null
      ? '  a SQLite function in C (bench/audit-verify-native.c): not built (needs gcc and OpenSSL headers)'
      : `  a SQLite function in C writing and hashing each entry (bench/audit-verify-native.c; a measurement, not the product): ${native.seconds.toFixed(3)} s CPU, ${native.mismatches} mismatches = ${(native.seconds / floorCpu).toFixed(2)}× the SHA-256 CPU`,
  );
  console.log(
    `  verification inside the process: ${inner.seconds.toFixed(3)} s wall, ${inner.cpuSeconds.toFixed(3)} s CPU (${inner.valid ? 'valid' : 'INVALID'}, ${inner.count} entries), peak RSS ${mib(inner.peakRss)} MiB, peak heap ${mib(inner.peakHeap)} MiB; ratio ${(inner.seconds / floor).toFixed(2)}× wall, ${(inner.cpuSeconds / floorCpu).toFixed(2)}× CPU`,
  );
  if (!process.env.KEEP) rmSync(file, { force: true });
}
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);

/**
 * The best case of the design issue 13 named last (each entry's canonical bytes stored at write time,
 * the verifier reading (seq, hash, canonical) and hashing prev_hash ‖ canonical): a table with only
 * those three columns, paged as the verifier pages, in CPU seconds (fastest of `runs`). It leaves out
 * what that design would add (proving the query columns equal the canonical bytes, seals, start-up),
 * so it is a lower bound for it.
 */
function storedCanonicalFloor(file: string, texts: string[], runs: number): { read: number; verify: number } {
  const db = new Database(file);
  db.exec('CREATE TABLE entries (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, canonical TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO entries VALUES (?, ?, ?)');
  db.transaction(() => texts.forEach((text, i) => insert.run(i + 1, hash('sha256', text, 'hex'), text.slice(64))))();
  const page = db.prepare('SELECT seq, hash, canonical FROM entries WHERE seq > ? ORDER BY seq LIMIT 1000').raw();
  const cpu = (work: () => void) => () => {
    const c0 = process.cpuUsage();
    work();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const read = fastest(
    runs,
    cpu(() => {
      for (
        let rows = page.all(0) as unknown[][];
        rows.length > 0;
        rows = page.all(rows[rows.length - 1][0]) as unknown[][]
      );
    }),
  );
  const verify = fastest(
    runs,
    cpu(() => {
      let prev = texts.length > 0 ? texts[0].slice(0, 64) : '';
      let bad = 0;
      for (
        let rows = page.all(0) as Array<[number, string, string]>;
        rows.length > 0;
        rows = page.all(rows[rows.length - 1][0]) as Array<[number, string, string]>
      ) {
        for (const [, digest, canonical] of rows) {
          if (hash('sha256', prev + canonical, 'hex') !== digest) bad++;
          prev = digest;
        }
      }
      if (bad > 0) throw new Error(`stored-canonical floor: ${bad} entries did not verify`);
    }),
  );
  db.close();
  rmSync(file, { force: true });
  return { read, verify };
}

/**
 * What hashing inside SQLite would cost: bench/audit-verify-native.c compiled as a loadable extension,
 * every entry of chain 1 written canonically and hashed in C, compared with its stored hash, page by
 * page as the verifier reads (CPU seconds, fastest of `runs`); null when it cannot be built here.
 */
function nativeFloor(file: string, runs: number): { seconds: number; mismatches: number } | null {
  const root = join(here, '..', '..');
  const lib = join(work, 'entry-hash.so');
  const built = spawnSync('gcc', [
    '-O2',
    '-fPIC',
    '-shared',
    '-I',
    join(root, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3'),
    join(root, 'bench', 'audit-verify-native.c'),
    '-o',
    lib,
    '-lcrypto',
  ]);
  if (built.status !== 0) return null;
  const db = new Database(file, { readonly: true });
  try {
    db.loadExtension(lib);
    const page = db
      .prepare(
        'SELECT count(*), sum(entry_hash(l.prev_hash, l.action, l.actor, l.at, l.details, l.entity_id, l.entity_type, l.reason, l.role, l.seq) IS NOT l.hash) ' +
          'FROM audit_log l WHERE l.chain = 1 AND l.seq > ? AND l.seq <= ?',
      )
      .raw();
    let mismatches = 0;
    const seconds = fastest(runs, () => {
      mismatches = 0;
      const c0 = process.cpuUsage();
      for (let after = 0; ; after += 1000) {
        const [n, bad] = page.get(after, after + 1000) as [number, number | null];
        mismatches += bad ?? 0;
        if (n < 1000) break;
      }
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1e6;
    });
    return { seconds, mismatches };
  } finally {
    db.close();
  }
}

/** CPU seconds (fastest of `runs`): one digest per entry from Buffers, and one SHA-256 over all the bytes. */
function bufferFloors(texts: string[], runs: number): { perEntry: number; onePass: number } {
  const cpu = (work: () => void) => () => {
    const c0 = process.cpuUsage();
    work();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  const buffers = texts.map((t) => Buffer.from(t, 'utf8'));
  const perEntry = fastest(
    runs,
    cpu(() => {
      for (const b of buffers) hash('sha256', b, 'hex');
    }),
  );
  const all = Buffer.concat(buffers);
  buffers.length = 0;
  const onePass = fastest(
    runs,
    cpu(() => hash('sha256', all, 'hex')),
  );
  return { perEntry, onePass };
}

function fastest(n: number, run: () => number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, run());
  return best;
}

/** Appends synthetic entries with correct hashes up to `size`; returns the text each entry's hash covers. */
function writeChain(file: string, size: number): string[] {
  const db = new Database(file);
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string };
  const insert = db.prepare(
    'INSERT INTO audit_log (chain, seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const rows = db
    .prepare(
      'SELECT seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash FROM audit_log WHERE chain = 1 ORDER BY seq',
    )
    .all() as Array<Record<string, unknown>>;
  // The bootstrap entries the real server wrote, then synthetic ones as the writer stores them (details canonical).
  const texts = rows.map((r) => String(r.prev_hash) + entryText(toStoredEntry(r)));
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  let { seq, hash } = head;
  db.transaction(() => {
    while (seq < size) {
      seq += 1;
      const content = {
        seq,
        at,
        actor: 'investigator1',
        role: 'investigator',
        action: 'participant.registered',
        entityType: 'participant',
        entityId: `p-${seq}`,
        reason: null,
        details: { number: seq, site: 'A', stratum: 'course=RRMS|edss=LE5|site=A' },
      };
      const text = hash + entryText(content);
      const next = entryHash(hash, content);
      texts.push(text);
      insert.run(
        seq,
        at,
        content.actor,
        content.role,
        content.action,
        content.entityType,
        content.entityId,
        null,
        canonicalJson(content.details),
        hash,
        next,
      );
      hash = next;
    }
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(seq, hash);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return texts;
}
