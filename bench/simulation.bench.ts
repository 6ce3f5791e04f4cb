/**
 * B3 — simulation speed: 100,000 trials × 100 patients per method, spread over worker threads
 * (both cores). Prints seconds and allocations per second; asserts nothing (QUALITY.md).
 * Run: npx tsc -p tsconfig.json && node dist/bench/simulation.bench.js [trials]
 */
import { availableParallelism, cpus } from 'node:os';
import { runSimulation } from '../server/src/simulation/index.js';
import type { SimulationDesign } from '../shared/engine/index.js';

const trials = Number(process.argv[2] ?? 100000);
const n = 100;
const factor = (id: string, levels: number) => ({ id, levels: Array.from({ length: levels }, (_, l) => ({ code: `L${l + 1}` })) });

const designs: Array<[string, SimulationDesign]> = [
  ['simple', { method: 'simple' }],
  ['permuted-block (4)', { method: 'permuted-block', params: { blockSizes: [4] } }],
  ['permuted-block (2,4,6)', { method: 'permuted-block', params: { blockSizes: [2, 4, 6] } }],
  ['biased-coin (p 2/3)', { method: 'biased-coin', params: { p: 2 / 3 } }],
  ['minimization (3 factors: 2×2×3, p 0.8)', { method: 'minimization', params: { p: 0.8 }, factors: [factor('f1', 2), factor('f2', 2), factor('f3', 3)] }],
];

process.stdout.write(`simulation bench: ${trials} trials × ${n} patients; ${availableParallelism()} worker threads; ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}\n`);
process.stdout.write(`${'design'.padEnd(40)}${'seconds'.padStart(9)}${'allocations/s'.padStart(16)}\n`);
for (const [label, design] of designs) {
  const result = await runSimulation(design, { n, trials, seed: 'bench' });
  const seconds = result.seconds ?? NaN;
  process.stdout.write(`${label.padEnd(40)}${seconds.toFixed(2).padStart(9)}${Math.round((trials * n) / seconds).toLocaleString('en-US').padStart(16)}\n`);
}
