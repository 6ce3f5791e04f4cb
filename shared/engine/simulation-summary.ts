/** Merging chunk outputs into the figures of ALGORITHMS.md. */
import type { PreparedDesign } from './simulation-core.js';
import type { ChunkResult, GroupSums, GroupSummary, Quantiles, SimulationOptions, SimulationResult } from './simulation-types.js';

/** Quantile by linear interpolation between order statistics (R's type 7). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Largest value sorted by counting; |D| and max |D| are whole numbers ≤ n for ratios like 1:1. */
const MAX_COUNTED = 1 << 20;

/**
 * The values in ascending order. Imbalances are usually small whole numbers, so a counting sort
 * (one pass, no comparisons) gives the same array as sorting; anything else (unequal ratios give
 * fractions) falls back to the sort.
 */
function sortedCopy(values: Float64Array): Float64Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // -0 would come back as +0, so it takes the sort too (imbalances are never -0 in practice).
    if (!(v >= 0 && v <= MAX_COUNTED && Math.floor(v) === v) || (v === 0 && 1 / v < 0)) return Float64Array.from(values).sort();
    if (v > max) max = v;
  }
  const counts = new Uint32Array(max + 1);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  const sorted = new Float64Array(values.length);
  let at = 0;
  for (let v = 0; v <= max; v++) {
    sorted.fill(v, at, at + counts[v]);
    at += counts[v];
  }
  return sorted;
}

function quantiles(values: Float64Array): Quantiles {
  const sorted = sortedCopy(values);
  return { p5: quantile(sorted, 0.05), p25: quantile(sorted, 0.25), p50: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p95: quantile(sorted, 0.95) };
}

function meanAndSe(values: ArrayLike<number>): { mean: number; se: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0 };
}

function concat<T extends Float64Array | Uint8Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function mergeGroups(chunks: ChunkResult[], pick: (c: ChunkResult) => Record<string, GroupSums>): Map<string, GroupSums> {
  const merged = new Map<string, GroupSums>();
  for (const c of chunks) {
    for (const [key, s] of Object.entries(pick(c))) {
      const m = merged.get(key) ?? { trialsWithPatients: 0, sumSize: 0, sumAbsImbalance: 0, balanced: 0 };
      m.trialsWithPatients += s.trialsWithPatients;
      m.sumSize += s.sumSize;
      m.sumAbsImbalance += s.sumAbsImbalance;
      m.balanced += s.balanced;
      merged.set(key, m);
    }
  }
  return merged;
}

/** Within-group figures; means are over the trials in which the group had patients, sizes over all trials. */
function groupSummary(s: GroupSums, trials: number): GroupSummary {
  const t = s.trialsWithPatients;
  return { meanSize: s.sumSize / trials, meanAbsImbalance: t ? s.sumAbsImbalance / t : 0, probBalanced: t ? s.balanced / t : 0 };
}

/** The summary of all chunks (given in chunk order, so the result does not depend on how they were run). */
export function summarizeChunks(design: PreparedDesign, options: SimulationOptions, chunks: ChunkResult[]): SimulationResult {
  const ordered = [...chunks].sort((a, b) => a.chunk - b.chunk);
  const absFinal = concat(ordered.map((c) => c.absFinal), (n) => new Float64Array(n));
  const maxAbs = concat(ordered.map((c) => c.maxAbs), (n) => new Float64Array(n));
  const balanced = concat(ordered.map((c) => c.balanced), (n) => new Uint8Array(n));
  const correct = concat(ordered.map((c) => c.correct), (n) => new Float64Array(n));
  const forced = concat(ordered.map((c) => c.forced), (n) => new Float64Array(n));
  if (absFinal.length !== options.trials) throw new Error(`simulation: expected ${options.trials} trials, got ${absFinal.length}`);
  const abs = meanAndSe(absFinal);
  const bal = meanAndSe(balanced);
  const cg = meanAndSe(correct);
  const fr = meanAndSe(forced);
  const totals = new Float64Array(design.arms.length);
  for (const c of ordered) c.armTotals.forEach((v, k) => (totals[k] += v));
  const allocations = options.trials * options.n;
  const result: SimulationResult = {
    method: design.method,
    params: design.params,
    arms: design.arms,
    n: options.n,
    trials: options.trials,
    meanAbsImbalance: abs.mean,
    absImbalanceQuantiles: quantiles(absFinal),
    meanMaxAbsImbalance: meanAndSe(maxAbs).mean,
    maxAbsImbalanceQuantiles: quantiles(maxAbs),
    probBalanced: bal.mean,
    correctGuessRate: cg.mean,
    forcedRate: fr.mean,
    armProportions: Object.fromEntries(design.arms.map((a, k) => [a.code, totals[k] / allocations])),
    standardErrors: { meanAbsImbalance: abs.se, probBalanced: bal.se, correctGuessRate: cg.se, forcedRate: fr.se },
    seconds: null,
  };
  const strata = mergeGroups(ordered, (c) => c.strata);
  if (strata.size > 0) result.byStratum = [...strata].map(([key, s]) => ({ key, ...groupSummary(s, options.trials) }));
  const margins = mergeGroups(ordered, (c) => c.margins);
  if (margins.size > 0) {
    result.byFactorMargin = [...margins].map(([key, s]) => {
      const [factor, level] = key.split('=');
      return { factor, level, ...groupSummary(s, options.trials) };
    });
  }
  return result;
}
