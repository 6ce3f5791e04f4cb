/**
 * B3 — simulation speed (issue 13). Prints, in one run:
 *   1. the `seconds` of `simulate --method permuted-block --block-sizes 4 --n 100 --trials 20000 --json`
 *      (the real CLI in a child process, five runs; randomizeR 3.0.2 needs 8.1 s for the same work);
 *   2. nanoseconds per allocation per design on one thread (fastest of five runs of 20,000 × 100),
 *      against the PRNG alone: the batch xor4096 filling a Float64Array, and seedrandom's .double();
 *   3. 100,000 trials × 100 per design through the runner with its default threads;
 *   4. where that command's `seconds` go, in this process: design check, the first chunk (interpreted
 *      code until V8 optimizes the kernel), the other chunks, the summary, the JSON;
 *   5. exact mode (`simulate --exact`) per design at n = 100 and 1,000: wall and CPU milliseconds.
 * Asserts nothing (QUALITY.md). Run: npx tsc -p tsconfig.json && node dist/bench/simulation.bench.js
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import seedrandom from 'seedrandom';
import { runSimulation } from '../server/src/simulation/index.js';
import { exactFigures, simulate, type SimulationDesign } from '../shared/engine/index.js';
import { Xor4096 } from '../shared/engine/xor4096.js';
import { cliSimulateSeconds, PERMUTED_BLOCK_COMMAND } from './support.js';

const n = 100;
const factor = (id: string, levels: number) => ({
  id,
  levels: Array.from({ length: levels }, (_, l) => ({ code: `L${l + 1}` })),
});
const designs: Array<[string, SimulationDesign]> = [
  ['simple', { method: 'simple' }],
  ['permuted-block (4)', { method: 'permuted-block', params: { blockSizes: [4] } }],
  ['permuted-block (2,4,6)', { method: 'permuted-block', params: { blockSizes: [2, 4, 6] } }],
  ['biased-coin (p 2/3)', { method: 'biased-coin', params: { p: 2 / 3 } }],
  ['big-stick (3)', { method: 'big-stick', params: { bound: 3 } }],
  [
    'minimization (3 factors: 2×2×3, p 0.8)',
    { method: 'minimization', params: { p: 0.8 }, factors: [factor('f1', 2), factor('f2', 2), factor('f3', 3)] },
  ],
];
const fastest = (runs: number, f: () => void) => {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
};

process.stdout.write(
  `simulation bench: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);

// 1. The CLI command, as a user runs it (its own process; `seconds` is what it reports).
const seconds = cliSimulateSeconds(5);
process.stdout.write(
  `\n\`${PERMUTED_BLOCK_COMMAND.join(' ')}\`: seconds ${seconds.map((s) => s.toFixed(3)).join(', ')} (best ${Math.min(...seconds).toFixed(3)}; goal ≤ 0.081, randomizeR 8.1)\n`,
);

// 2. One thread, per allocation, against the PRNG alone.
const draws = 2_000_000;
const buffer = new Float64Array(draws);
const batchNs = (fastest(5, () => new Xor4096('bench').fill(buffer)) * 1e6) / draws;
const libNs =
  (fastest(5, () => {
    const g = seedrandom.xor4096('bench');
    for (let i = 0; i < draws; i++) buffer[i] = g.double();
  }) *
    1e6) /
  draws;
process.stdout.write(
  `\nPRNG alone, ns per double: batch xor4096 ${batchNs.toFixed(1)}; seedrandom xor4096 .double() ${libNs.toFixed(1)}\n`,
);
process.stdout.write(
  `${'design (one thread, 20,000 × 100, fastest of 5)'.padEnd(50)}${'ns/allocation'.padStart(14)}${'draws/alloc'.padStart(13)}\n`,
);
for (const [label, design] of designs) {
  const ms = fastest(5, () => simulate(design, { n, trials: 20000, seed: 'bench' }));
  const perAlloc =
    design.method === 'minimization'
      ? 4
      : design.params?.blockSizes && (design.params.blockSizes as number[]).length > 1
        ? 1.25
        : 1;
  process.stdout.write(
    `${label.padEnd(50)}${((ms * 1e6) / (20000 * n)).toFixed(1).padStart(14)}${perAlloc.toString().padStart(13)}\n`,
  );
}

// 3. Larger runs through the runner (threads as the CLI chooses them).
const trials = 100_000;
process.stdout.write(
  `\n${'design (100,000 × 100, runner default threads)'.padEnd(50)}${'seconds'.padStart(9)}${'allocations/s'.padStart(16)}  (${availableParallelism()} cores)\n`,
);
for (const [label, design] of designs) {
  const result = await runSimulation(design, { n, trials, seed: 'bench' }, { useThisThread: true });
  const s = result.seconds ?? NaN;
  process.stdout.write(
    `${label.padEnd(50)}${s.toFixed(2).padStart(9)}${Math.round((trials * n) / s)
      .toLocaleString('en-US')
      .padStart(16)}\n`,
  );
}

// 4. Where the CLI command's seconds go (a fresh process, so the first chunk is as cold as in the CLI).
const phases = JSON.parse(
  execFileSync(
    'node',
    [
      '--input-type=module',
      '-e',
      `
    const { chunkCount, prepareDesign, runChunk, summarizeChunks } = await import(${JSON.stringify(new URL('../shared/engine/index.js', import.meta.url).href)});
    const options = { n: 100, trials: 20000, seed: 'blindrand-simulation' };
    const t0 = performance.now();
    const prepared = prepareDesign({ method: 'permuted-block', params: { blockSizes: [4] } });
    const t1 = performance.now();
    const chunks = [runChunk(prepared, options, 0)];
    const t2 = performance.now();
    for (let c = 1; c < chunkCount(options.trials); c++) chunks.push(runChunk(prepared, options, c));
    const t3 = performance.now();
    const result = summarizeChunks(prepared, options, chunks);
    const t4 = performance.now();
    JSON.stringify(result, null, 2);
    const t5 = performance.now();
    process.stdout.write(JSON.stringify({ prepare: t1 - t0, first: t2 - t1, rest: t3 - t2, chunks: chunks.length, summary: t4 - t3, json: t5 - t4 }));
  `,
    ],
    { encoding: 'utf8' },
  ),
) as Record<string, number>;
process.stdout.write(
  `\nthat command in a fresh process, ms: design check ${phases.prepare.toFixed(1)}, first chunk ${phases.first.toFixed(1)}, other ${phases.chunks - 1} chunks ${phases.rest.toFixed(1)} (${(phases.rest / (phases.chunks - 1)).toFixed(1)} each), summary ${phases.summary.toFixed(1)}, JSON ${phases.json.toFixed(1)} (load ${loadavg()[0].toFixed(1)})\n`,
);

// 5. Exact mode per design (what `simulate --exact` reports as seconds), fastest of 3, wall and CPU.
const exactDesigns: Array<[string, SimulationDesign]> = [
  ['simple', { method: 'simple' }],
  ['permuted-block (4)', { method: 'permuted-block', params: { blockSizes: [4] } }],
  ['permuted-block (2,4,6)', { method: 'permuted-block', params: { blockSizes: [2, 4, 6] } }],
  ['truncated-binomial (6)', { method: 'truncated-binomial', params: { blockSizes: [6] } }],
  ['biased-coin (p 2/3)', { method: 'biased-coin', params: { p: 2 / 3 } }],
  ['big-stick (3)', { method: 'big-stick', params: { bound: 3 } }],
  ['chen (p 2/3, bound 3)', { method: 'chen', params: { p: 2 / 3, bound: 3 } }],
  ['maximal (3)', { method: 'maximal', params: { bound: 3 } }],
  ['urn UD(0,1)', { method: 'urn', params: { alpha: 0, beta: 1 } }],
];
process.stdout.write(
  `\n${'exact mode, fastest of 3 (load ' + loadavg()[0].toFixed(1) + ')'.padEnd(20)}${'n = 100 ms (cpu)'.padStart(22)}${'n = 1,000 ms (cpu)'.padStart(22)}\n`,
);
for (const [label, design] of exactDesigns) {
  const cells = [100, 1000].map((size) => {
    let wall = Infinity;
    let cpu = Infinity;
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      exactFigures(design, size);
      wall = Math.min(wall, performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu = Math.min(cpu, (c.user + c.system) / 1000);
    }
    return `${wall.toFixed(1)} (${cpu.toFixed(1)})`;
  });
  process.stdout.write(`${label.padEnd(40)}${cells[0].padStart(22)}${cells[1].padStart(22)}\n`);
}
