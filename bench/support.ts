/** Small helpers for the benchmarks: timing, percentiles, a client pool, the machine line. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs as dist/bench/support.js). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Issue 13's simulation goal, as a user types it after `blindrand`. */
export const PERMUTED_BLOCK_COMMAND = [
  'simulate',
  '--method',
  'permuted-block',
  '--block-sizes',
  '4',
  '--n',
  '100',
  '--trials',
  '20000',
  '--json',
];

/** The `seconds` the real CLI reports for PERMUTED_BLOCK_COMMAND, one fresh process per run. */
export function cliSimulateSeconds(runs: number): number[] {
  return Array.from({ length: runs }, () => {
    const out = execFileSync('node', ['server/bin/cli.mjs', ...PERMUTED_BLOCK_COMMAND], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return (JSON.parse(out) as { seconds: number }).seconds;
  });
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))];
}

/** Runs `count` calls of `task(i)` from `clients` concurrent clients; returns per-call latencies and the wall time. */
export async function drive(
  clients: number,
  count: number,
  task: (i: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
