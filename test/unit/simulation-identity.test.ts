/**
 * Every simulation figure is identical for a given seed: the JSON of 15 designs × 2 runs is
 * compared byte for byte with fixtures/simulation/reference.json, written by the engine before the
 * batch xor4096 and the per-design kernels (issue 13). Also run through the worker-thread runner.
 */
import { simulate } from '../../shared/engine/index.js';
import { runSimulation } from '../../server/src/simulation/index.js';
import { readRepoFile } from './helpers.js';
import { IDENTITY_DESIGNS, IDENTITY_RUNS } from './simulation-identity-designs.js';

const reference = JSON.parse(readRepoFile('test/unit/fixtures/simulation/reference.json')) as Record<string, unknown>;
const cases = IDENTITY_DESIGNS.flatMap(([label, design]) =>
  IDENTITY_RUNS.map((run) => ({ key: `${label} | ${run.seed} n=${run.n} trials=${run.trials}`, design, run })),
);

describe('simulation figures are those frozen before the rewrite', () => {
  it.each(cases.map((c) => [c.key, c] as const))('%s (engine, one thread)', (_key, { key, design, run }) => {
    expect(JSON.stringify(simulate(design, run))).toBe(JSON.stringify(reference[key]));
  });

  it('the same through the runner: two workers (server), and this thread sharing chunks with one (CLI) [RAND-015]', async () => {
    for (const [i, { key, design, run }] of cases.entries()) {
      if (i % 5 !== 0) continue;
      const result = await runSimulation(design, run, { workers: 2, useThisThread: i % 10 === 0 });
      expect(JSON.stringify({ ...result, seconds: null })).toBe(JSON.stringify(reference[key]));
    }
  });
});
