/**
 * Child process of bench/audit-verify.bench.ts: the verification `audit verify` runs (the CLI's own
 * database access, offline-db.ts, and verifyAuditChain), timed inside the process (wall and CPU) and sampled for
 * peak resident memory and peak V8 heap after every page. Prints one JSON line.
 * Run: node dist/bench/audit-verify-child.js DB KEY
 */
import { getHeapStatistics } from 'node:v8';
import { verifyAuditChain } from '../server/src/modules/audit/audit-verify.js';
import { SigningKey } from '../server/src/database/audit/signing-key.js';
import { openOfflineDb } from '../server/src/cli/offline-db.js';

const [file, keyFile] = process.argv.slice(2);
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
};
const db = await openOfflineDb({ db: file });
const started = performance.now();
const cpu0 = process.cpuUsage();
const result = await verifyAuditChain({
  chain: 1,
  snapshot: (work) =>
    db.snapshot((d) =>
      work(
        async (sql, params) => {
          sample();
          return d.all(sql, params);
        },
        async (sql, params) => {
          sample();
          return d.raw!(sql, params);
        },
      ),
    ),
  checkpointFilePath: null,
  trustedKey: SigningKey.load(keyFile).publicKey,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
sample();
await db.close();
process.stdout.write(
  JSON.stringify({ valid: result.valid, count: result.count, seconds, cpuSeconds, peakRss, peakHeap }) + '\n',
);
