/**
 * Issue 13's two goals in one run (the cheap command the closing note quotes):
 *   A. `simulate --method permuted-block --block-sizes 4 --n 100 --trials 20000 --json`: the `seconds`
 *      the real CLI reports (goal ≤ 0.081 s; randomizeR 3.0.2 needs 8.1 s), RUNS processes; and the same
 *      work in fresh processes split into first chunk / other chunks / summary, in main-thread CPU
 *      milliseconds (/proc/self/task/PID/schedstat: the wall clock and process.cpuUsage also count
 *      the neighbours and V8's background compiler threads on a loaded 2-core machine);
 *   B. `audit verify` of SIZES entries (default 1,000,000) against SHA-256 of the same bytes, through
 *      bench/audit-verify.bench.ts (with the floor of a stored-canonical-bytes design beside it).
 * Asserts nothing. Run: npx tsc -p tsconfig.json && node dist/bench/issue13.bench.js
 *   RUNS=7 (simulate runs), SIZES="100000 1000000" (audit sizes), VERIFY_RUNS=2, SKIP_AUDIT=1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliSimulateSeconds, machine, PERMUTED_BLOCK_COMMAND } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const runs = Number(process.env.RUNS ?? 7);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`issue 13 bench: ${machine()}; load average ${load()}`);

// A. The CLI as a user runs it; `seconds` is what it reports (runSimulation: design check to summary).
const seconds = cliSimulateSeconds(runs);
console.log(`\nA. \`${PERMUTED_BLOCK_COMMAND.join(' ')}\` (load ${load()})`);
console.log(
  `   seconds: ${seconds.map((s) => s.toFixed(3)).join(', ')}; best ${Math.min(...seconds).toFixed(3)}, median ${median(seconds).toFixed(3)} (goal ≤ 0.081; randomizeR 8.1)`,
);

// The same work in a fresh process (as cold as the CLI), main-thread CPU per phase.
const child = `
  import { readFileSync } from 'node:fs';
  const { chunkCount, prepareDesign, runChunk, summarizeChunks } = await import(${JSON.stringify(new URL('../shared/engine/index.js', import.meta.url).href)});
  const main = () => { try { return Number(readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { const c = process.cpuUsage(); return (c.user + c.system) / 1000; } };
  const options = { n: 100, trials: 20000, seed: 'blindrand-simulation' };
  const w0 = performance.now(), m0 = main();
  const prepared = prepareDesign({ method: 'permuted-block', params: { blockSizes: [4] } });
  const chunks = [runChunk(prepared, options, 0)];
  const m1 = main();
  for (let c = 1; c < chunkCount(options.trials); c++) chunks.push(runChunk(prepared, options, c));
  const m2 = main();
  summarizeChunks(prepared, options, chunks);
  const m3 = main(), w3 = performance.now();
  process.stdout.write(JSON.stringify({ first: m1 - m0, rest: m2 - m1, summary: m3 - m2, total: m3 - m0, wall: w3 - w0 }));
`;
const phases = Array.from(
  { length: runs },
  () =>
    JSON.parse(execFileSync('node', ['--input-type=module', '-e', child], { encoding: 'utf8' })) as Record<
      string,
      number
    >,
);
const best = phases.reduce((a, b) => (b.total < a.total ? b : a));
console.log(`   in a fresh process, main-thread CPU ms: ${phases.map((p) => p.total.toFixed(1)).join(', ')}`);
console.log(
  `   fastest: first chunk ${best.first.toFixed(1)}, other 19 chunks ${best.rest.toFixed(1)}, summary ${best.summary.toFixed(1)}, total ${best.total.toFixed(1)} (wall ${best.wall.toFixed(1)})`,
);

// B. audit verify against SHA-256 of the same bytes (its own bench prints the figures).
if (!process.env.SKIP_AUDIT) {
  const sizes = (process.env.SIZES ?? '1000000').split(/\s+/).filter(Boolean);
  console.log(`\nB. audit verify (load ${load()})`);
  spawnSync('node', [join(here, 'audit-verify.bench.js'), ...sizes], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, RUNS: process.env.VERIFY_RUNS ?? '2' },
  });
}
