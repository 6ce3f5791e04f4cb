/** Merging chunk outputs into the figures of ALGORITHMS.md. */
import type { PreparedDesign } from './simulation-core.js';
import type {
  ChunkResult,
  GroupSums,
  GroupSummary,
  Quantiles,
  SimulationOptions,
  SimulationResult,
} from './simulation-types.js';

/** Quantile by linear interpolation between order statistics (R's type 7). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Largest value counted; |D| and max |D| are whole numbers ≤ n for ratios like 1:1. */
const MAX_COUNTED = 1 << 20;

/** Whether a value can be counted (a whole number in [0, MAX_COUNTED], not -0, which a sort would keep). */
const countable = (v: number) => v >= 0 && v <= MAX_COUNTED && Math.floor(v) === v && !(v === 0 && 1 / v < 0);

/**
 * Quantiles of whole-number values from their counts: the order statistic at index i of the sorted
 * values is the smallest v whose cumulative count exceeds i, so this equals quantile() on the
 * sorted array, value for value, with no array of N values built or sorted.
 */
function countedQuantiles(counts: Uint32Array, total: number): Quantiles {
  const at = (index: number) => {
    let seen = 0;
    for (let v = 0; v < counts.length; v++) {
      seen += counts[v];
      if (seen > index) return v;
    }
    return NaN;
  };
  const q = (p: number) => {
    const h = (total - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(total - 1, lo + 1);
    const low = at(lo);
    return low + (h - lo) * (at(hi) - low);
  };
  return { p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) };
}

/** Anything else (unequal ratios give fractions): sort a copy. */
function sortedQuantiles(values: Float64Array): Quantiles {
  const sorted = Float64Array.from(values).sort();
  return {
    p5: quantile(sorted, 0.05),
    p25: quantile(sorted, 0.25),
    p50: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
  };
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

/** Per-trial figures reduced to what the summary prints. */
interface TrialFigures {
  abs: { mean: number; se: number };
  maxMean: number;
  bal: { mean: number; se: number };
  cg: { mean: number; se: number };
  fr: { mean: number; se: number };
  absQuantiles: Quantiles;
  maxQuantiles: Quantiles;
}

/**
 * Means, standard errors and quantiles of the per-trial figures in two passes over the chunks (this
 * code runs once per simulation, cold, so fewer loops matter more than anything else). Bit for bit
 * what one pass per mean and per standard error over the concatenated arrays gave: every sum adds
 * the same terms in the same order (chunk order, then trial order), (v − mean) ** 2 as before.
 */
function trialFigures(ordered: ChunkResult[], N: number): TrialFigures {
  let sAbs = 0;
  let sMax = 0;
  let sBal = 0;
  let sCg = 0;
  let sFr = 0;
  let top = 0;
  let counted = true;
  for (const c of ordered) {
    const { absFinal, maxAbs, balanced, correct, forced } = c;
    for (let i = 0; i < c.trials; i++) {
      const a = absFinal[i];
      const m = maxAbs[i];
      sAbs += a;
      sMax += m;
      sBal += balanced[i];
      sCg += correct[i];
      sFr += forced[i];
      if (m > top) top = m;
      if (a > top) top = a;
      if (counted && !(countable(a) && countable(m))) counted = false;
    }
  }
  const mAbs = sAbs / N;
  const mBal = sBal / N;
  const mCg = sCg / N;
  const mFr = sFr / N;
  let qAbs = 0;
  let qBal = 0;
  let qCg = 0;
  let qFr = 0;
  const absCounts = new Uint32Array(counted ? top + 1 : 0);
  const maxCounts = new Uint32Array(counted ? top + 1 : 0);
  for (const c of ordered) {
    const { absFinal, maxAbs, balanced, correct, forced } = c;
    for (let i = 0; i < c.trials; i++) {
      qAbs += (absFinal[i] - mAbs) ** 2;
      qBal += (balanced[i] - mBal) ** 2;
      qCg += (correct[i] - mCg) ** 2;
      qFr += (forced[i] - mFr) ** 2;
      if (counted) {
        absCounts[absFinal[i]]++;
        maxCounts[maxAbs[i]]++;
      }
    }
  }
  const se = (ss: number) => (N > 1 ? Math.sqrt(ss / (N - 1) / N) : 0);
  const all = (pick: (c: ChunkResult) => Float64Array) => concat(ordered.map(pick), (n) => new Float64Array(n));
  return {
    abs: { mean: mAbs, se: se(qAbs) },
    maxMean: sMax / N,
    bal: { mean: mBal, se: se(qBal) },
    cg: { mean: mCg, se: se(qCg) },
    fr: { mean: mFr, se: se(qFr) },
    absQuantiles: counted ? countedQuantiles(absCounts, N) : sortedQuantiles(all((c) => c.absFinal)),
    maxQuantiles: counted ? countedQuantiles(maxCounts, N) : sortedQuantiles(all((c) => c.maxAbs)),
  };
}

function mergeGroups(
  chunks: ChunkResult[],
  pick: (c: ChunkResult) => Record<string, GroupSums>,
): Map<string, GroupSums> {
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
  return {
    meanSize: s.sumSize / trials,
    meanAbsImbalance: t ? s.sumAbsImbalance / t : 0,
    probBalanced: t ? s.balanced / t : 0,
  };
}

/** The summary of all chunks (given in chunk order, so the result does not depend on how they were run). */
export function summarizeChunks(
  design: PreparedDesign,
  options: SimulationOptions,
  chunks: ChunkResult[],
): SimulationResult {
  const ordered = [...chunks].sort((a, b) => a.chunk - b.chunk);
  const N = ordered.reduce((sum, c) => sum + c.trials, 0);
  if (N !== options.trials) throw new Error(`simulation: expected ${options.trials} trials, got ${N}`);
  const { abs, maxMean, bal, cg, fr, absQuantiles, maxQuantiles } = trialFigures(ordered, N);
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
    absImbalanceQuantiles: absQuantiles,
    meanMaxAbsImbalance: maxMean,
    maxAbsImbalanceQuantiles: maxQuantiles,
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
