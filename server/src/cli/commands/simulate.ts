/**
 * `simulate`: design simulation of ALGORITHMS.md (imbalance, predictability, forcing), on both
 * cores through worker threads; `--compare` puts several designs side by side in one table.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { EngineError, exactFigures } from '../../../../shared/engine/index.js';
import type { ExactResult, SimulationDesign, SimulationResult } from '../../../../shared/engine/index.js';
import { GENERATED_METHODS } from '../../../../shared/engine/methods/index.js';
import {
  addParamOptions,
  armsFromFlags,
  designFromSpec,
  factorsFromFlag,
  paramsFromFlags,
  type ParamFlags,
} from '../../simulation/cli-params.js';
import { runSimulation } from '../../simulation/index.js';
import { CliError } from '../cli-error.js';
import { progressBar } from '../progress.js';

interface SimulateFlags extends ParamFlags {
  method?: string;
  n: string;
  trials: string;
  seed: string;
  ratio?: string;
  arms?: string;
  factors?: string;
  workers?: string;
  compare?: string[];
  json?: boolean;
  exact?: boolean;
}

/** Exact figures (dynamic programming, no trials, no seed) timed like a simulation. */
function runExact(design: SimulationDesign, n: number): ExactResult {
  const started = performance.now();
  const result = exactFigures(design, n);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** One table row per design: the figures a statistician compares. */
function comparisonTable(rows: Array<{ label: string; result: SimulationResult }>): string {
  const header = ['design', 'E|D_n|', 'p95 |D_n|', 'E max|D_i|', 'P(D_n=0)', 'correct guesses', 'forced', 'seconds'];
  const body = rows.map(({ label, result: r }) => [
    label,
    fmt(r.meanAbsImbalance),
    fmt(r.absImbalanceQuantiles.p95, 1),
    fmt(r.meanMaxAbsImbalance),
    fmt(r.probBalanced),
    fmt(r.correctGuessRate),
    fmt(r.forcedRate),
    fmt(r.seconds ?? NaN, 2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function wholeNumber(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new CliError(`--${name}: expected a whole number ≥ 1, got "${text}"`);
  return v;
}

export function register(program: Command): void {
  const command = program
    .command('simulate')
    .description(
      'simulate a design: imbalance |D_n|, max |D_i|, P(D_n = 0), correct guesses (convergence strategy), forced allocations',
    )
    .option('--method <method>', GENERATED_METHODS.map((m) => m.code).join(', '))
    .option('--n <n>', 'patients per simulated trial', '100')
    .option('--trials <trials>', 'simulated trials', '10000')
    .option('--seed <seed>', 'seed of the simulation (same seed, same figures)', 'blindrand-simulation');
  addParamOptions(command)
    .option('--ratio <ratio>', 'allocation ratio, e.g. 2:1 or 1:1:1')
    .option('--arms <k>', 'number of arms at equal ratio (default 2)')
    .option(
      '--factors <levels>',
      'patient covariates: level counts, e.g. 2,2,3 (minimization factors; strata for other methods)',
    )
    .option(
      '--workers <k>',
      'threads computing, this one included (default: 1 below 10,000,000 allocations, else all cores)',
    )
    .option(
      '--compare <designs...>',
      'several designs side by side, each "method:key=value,…", e.g. "biased-coin:p=0.7" "permuted-block:block-sizes=2,4"',
    )
    .option('--json', 'print the figures as JSON (field names of ALGORITHMS.md)')
    .option(
      '--exact',
      'exact figures by dynamic programming instead of simulation (two arms 1:1, no covariates, n ≤ 2000; --trials and --seed unused)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  simulate --method biased-coin --p 0.667 --n 100 --trials 10000 --json\n  simulate --compare simple "biased-coin:p=0.667" "big-stick:bound=3" "permuted-block:block-sizes=2,4,6" --n 50\n  simulate --method big-stick --bound 3 --n 1000 --exact --json',
    )
    .action(async (flags: SimulateFlags) => {
      const options = { n: wholeNumber('n', flags.n), trials: wholeNumber('trials', flags.trials), seed: flags.seed };
      const workers = flags.workers !== undefined ? wholeNumber('workers', flags.workers) : undefined;
      let designs: Array<SimulationDesign & { label: string }>;
      try {
        if (flags.compare && flags.compare.length > 0) {
          if (flags.method) throw new CliError('give either --method or --compare, not both');
          designs = flags.compare.map((spec) =>
            designFromSpec(spec, { ratio: flags.ratio, arms: flags.arms, factors: flags.factors }),
          );
        } else {
          if (!flags.method) throw new CliError('--method is required (or --compare with several designs)');
          designs = [
            {
              label: flags.method,
              method: flags.method,
              params: paramsFromFlags(flags),
              arms: armsFromFlags(flags.ratio, flags.arms),
              factors: factorsFromFlag(flags.factors),
            },
          ];
        }
        const results: Array<{ label: string; result: SimulationResult }> = [];
        for (const design of designs) {
          const { label: name, ...plain } = design;
          if (flags.exact) {
            results.push({ label: name, result: runExact(plain, options.n) });
            continue;
          }
          const onProgress = progressBar(`simulating ${design.label}`, !flags.json && process.stderr.isTTY === true);
          const { label, ...rest } = design;
          results.push({
            label,
            result: await runSimulation(rest, options, { workers, onProgress, useThisThread: true }),
          });
        }
        if (flags.json) {
          const out = flags.compare ? results.map((r) => ({ design: r.label, ...r.result })) : results[0].result;
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        } else if (flags.compare) {
          const how = flags.exact
            ? 'exact figures (dynamic programming)'
            : `trials = ${options.trials}, seed "${options.seed}"`;
          process.stdout.write(`n = ${options.n}, ${how}\n${comparisonTable(results)}\n`);
        } else {
          process.stdout.write(describe(results[0].result));
        }
      } catch (e) {
        if (e instanceof EngineError) throw new CliError(e.message);
        throw e;
      }
    });
}

function describe(r: SimulationResult): string {
  const q = (x: SimulationResult['absImbalanceQuantiles']) =>
    `p5 ${fmt(x.p5, 1)}, p25 ${fmt(x.p25, 1)}, p50 ${fmt(x.p50, 1)}, p75 ${fmt(x.p75, 1)}, p95 ${fmt(x.p95, 1)}`;
  const lines = [
    `${r.method} ${JSON.stringify(r.params)}; arms ${r.arms.map((a) => `${a.code}:${a.ratio}`).join(' ')}; n = ${r.n}, ${'exact' in r ? 'exact figures' : `${r.trials} trials`}, ${fmt(r.seconds ?? NaN, 2)} s`,
    `  E|D_n|             ${fmt(r.meanAbsImbalance)}  (${q(r.absImbalanceQuantiles)})`,
    `  E max_i |D_i|      ${fmt(r.meanMaxAbsImbalance)}  (${q(r.maxAbsImbalanceQuantiles)})`,
    `  P(D_n = 0)         ${fmt(r.probBalanced)}`,
    `  correct guesses    ${fmt(r.correctGuessRate)}  (convergence strategy)`,
    `  forced allocations ${fmt(r.forcedRate)}`,
    `  arm proportions    ${Object.entries(r.armProportions)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
  ];
  for (const s of r.byStratum ?? [])
    lines.push(
      `  stratum ${s.key}: mean size ${fmt(s.meanSize, 1)}, E|D| ${fmt(s.meanAbsImbalance)}, P(D=0) ${fmt(s.probBalanced)}`,
    );
  for (const m of r.byFactorMargin ?? [])
    lines.push(
      `  margin ${m.factor}=${m.level}: mean size ${fmt(m.meanSize, 1)}, E|D| ${fmt(m.meanAbsImbalance)}, P(D=0) ${fmt(m.probBalanced)}`,
    );
  return `${lines.join('\n')}\n`;
}
