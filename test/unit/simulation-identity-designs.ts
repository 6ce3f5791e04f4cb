/**
 * The designs × seeds whose simulation figures are frozen in fixtures/simulation/reference.json.
 * The fixture was written by the engine BEFORE (commit a6058ba's build; the six 2:1 / urn / chen rows
 * added later were also written by that old build) the batch-xor4096 / kernel rewrite (issue 13), so
 * the identity test proves that every figure, every bit, survived it. To re-freeze (only when a
 * change is meant to alter figures): node dist/test/unit/simulation-identity-designs.js --write
 */
import type { SimulationDesign, SimulationOptions } from '../../shared/engine/index.js';

const factor = (id: string, levels: number) => ({
  id,
  levels: Array.from({ length: levels }, (_, l) => ({ code: `L${l + 1}` })),
});
const two = [factor('f1', 2), factor('f2', 2)];
const abc = (...r: number[]) => r.map((ratio, i) => ({ code: String.fromCharCode(65 + i), ratio }));

export const IDENTITY_DESIGNS: Array<[string, SimulationDesign]> = [
  ['simple', { method: 'simple' }],
  ['simple 2:1', { method: 'simple', arms: abc(2, 1) }],
  ['permuted-block 4', { method: 'permuted-block', params: { blockSizes: [4] } }],
  ['permuted-block 2,4,6', { method: 'permuted-block', params: { blockSizes: [2, 4, 6] } }],
  ['permuted-block 3 arms 6', { method: 'permuted-block', params: { blockSizes: [6] }, arms: abc(1, 1, 1) }],
  ['permuted-block stratified', { method: 'permuted-block', params: { blockSizes: [4] }, factors: two }],
  ['truncated-binomial', { method: 'truncated-binomial', params: { blockSizes: [10] } }],
  ['biased-coin 2/3', { method: 'biased-coin', params: { p: 2 / 3 } }],
  ['biased-coin 4 arms', { method: 'biased-coin', params: { p: 0.7 }, arms: abc(1, 1, 1, 1) }],
  ['big-stick 3', { method: 'big-stick', params: { bound: 3 } }],
  ['chen', { method: 'chen', params: { bound: 3, p: 0.7 } }],
  ['maximal', { method: 'maximal', params: { bound: 3 } }],
  ['urn', { method: 'urn', params: { alpha: 0, beta: 1 } }],
  ['biased-coin 2:1', { method: 'biased-coin', params: { p: 0.8 }, arms: abc(2, 1) }],
  ['truncated-binomial 2:1', { method: 'truncated-binomial', params: { blockSizes: [6] }, arms: abc(2, 1) }],
  ['big-stick 2 2:1', { method: 'big-stick', params: { bound: 2 }, arms: abc(2, 1) }],
  ['chen 2:1', { method: 'chen', params: { bound: 2, p: 0.9 }, arms: abc(1, 2) }],
  ['urn 1,2', { method: 'urn', params: { alpha: 1, beta: 2 } }],
  ['urn 2,1 n odd', { method: 'urn', params: { alpha: 2, beta: 1 } }],
  [
    'minimization 2,2,3',
    { method: 'minimization', params: { p: 0.8 }, factors: [factor('f1', 2), factor('f2', 2), factor('f3', 3)] },
  ],
  [
    'minimization 2:1 variance',
    { method: 'minimization', params: { p: 0.9, imbalance: 'variance' }, factors: two, arms: abc(2, 1) },
  ],
];

/** Two seeds, two sizes (one chunk ragged at the end), so chunk streams and the summary are both covered. */
export const IDENTITY_RUNS: SimulationOptions[] = [
  { n: 50, trials: 2500, seed: 'identity-1' },
  { n: 37, trials: 1234, seed: 'identity-2' },
];

if (process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  const { simulate } = await import('../../shared/engine/index.js');
  const out: Record<string, unknown> = {};
  for (const [label, design] of IDENTITY_DESIGNS)
    for (const run of IDENTITY_RUNS)
      out[`${label} | ${run.seed} n=${run.n} trials=${run.trials}`] = simulate(design, run);
  writeFileSync('test/unit/fixtures/simulation/reference.json', `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(`wrote ${Object.keys(out).length} results\n`);
}
