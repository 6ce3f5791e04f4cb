/**
 * B4 and the foundation's write path: (1) audited writes per second over HTTP on SQLite with 1 and
 * 16 clients; (2) seconds to verify a 100,000- and a 1,000,000-entry chain, against hashing the
 * same bytes with SHA-256 alone, measured in the same run.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type StoredAuditEntry,
} from '../server/src/database/audit/audit-chain.js';
import { startTestApp } from '../test/support/test-app.js';
import { drive, fmt, machine } from './support.js';

async function httpWrites(): Promise<void> {
  const t = await startTestApp({ CHECKPOINT_EVERY: '1000' });
  try {
    const admin = await t.api.login('admin');
    for (const clients of [1, 16]) {
      const n = 1500;
      const { seconds, latencies } = await drive(clients, n, async (i) => {
        const res = await t.api.post('/api/sites', { code: `C${clients}X${i}`, name: `Bench site ${i}` }, admin);
        if (res.status !== 201) throw new Error(`write failed: ${res.status} ${res.text}`);
      });
      console.log(
        `audited writes over HTTP (SQLite, WAL, synchronous=FULL), ${clients} client(s): ${fmt(n / seconds)} /s, p50 ${latencies[Math.floor(n / 2)].toFixed(1)} ms`,
      );
    }
  } finally {
    await t.close();
  }
}

function buildChain(size: number): { rows: StoredAuditEntry[]; hashedBytes: string[] } {
  const rows: StoredAuditEntry[] = [];
  const hashedBytes: string[] = [];
  let prev = GENESIS_HASH;
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  for (let seq = 1; seq <= size; seq++) {
    const content = {
      seq,
      at,
      actor: 'investigator1',
      role: 'investigator',
      action: 'participant.randomized',
      entityType: 'participant',
      entityId: `p-${seq}`,
      reason: null,
      details: {
        randomizationNumber: seq,
        treatmentCode: `MS-${(seq * 7919).toString(36).toUpperCase()}`,
        stratum: 'course=RRMS|edss=LE5|site=A',
      },
    };
    const hash = entryHash(prev, content);
    hashedBytes.push(prev + canonicalJson(content));
    rows.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return { rows, hashedBytes };
}

function verification(size: number): void {
  const { rows, hashedBytes } = buildChain(size);
  let t0 = performance.now();
  const result = verifyChain(rows, [], null);
  const verifySeconds = (performance.now() - t0) / 1000;
  if (!result.valid) throw new Error('bench chain did not verify');
  t0 = performance.now();
  for (const bytes of hashedBytes) createHash('sha256').update(bytes, 'utf8').digest('hex');
  const hashSeconds = (performance.now() - t0) / 1000;
  console.log(
    `verify ${fmt(size)} entries: ${verifySeconds.toFixed(2)} s; SHA-256 of the same bytes alone: ${hashSeconds.toFixed(2)} s; ratio ${(verifySeconds / hashSeconds).toFixed(2)}×`,
  );
}

console.log(`machine: ${machine()}`);
await httpWrites();
verification(100_000);
verification(1_000_000);
