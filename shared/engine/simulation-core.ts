/**
 * The simulation inner loop: one chunk of trials from one derived stream. Written for speed
 * (typed arrays, no allocation per patient, probabilities computed once where they cannot
 * change) but driven by the same sequence rules as list generation; minimization uses an array
 * form of the same scoring (checked against minimization.ts in the tests).
 */
import type { MethodCode } from '../protocol/method-codes.js';
import { EngineError } from './errors.js';
import { methodDescriptor } from './methods/index.js';
import { normalizeParams, type ArmWeight, type MethodParams } from './params.js';
import {
  commitAllocation,
  createSequenceRule,
  isForced,
  newSequenceState,
  pickArm,
  type SequenceRule,
  type SequenceState,
} from './sequence-rules.js';
import { deriveBatchStream } from './streams.js';
import {
  CHUNK_TRIALS,
  type ChunkResult,
  type GroupSums,
  type SimulationDesign,
  type SimulationFactor,
  type SimulationOptions,
} from './simulation-types.js';
import { ShiftedTable } from './simulation-shifted.js';
import { runTwoArm, twoArmKernelApplies } from './simulation-two-arm.js';

export interface PreparedDesign {
  method: MethodCode;
  params: MethodParams;
  arms: ArmWeight[];
  factors: SimulationFactor[];
  stratify: boolean;
}

/** Check a design and fill its defaults (two arms 1:1; minimization factors as given). */
export function prepareDesign(design: SimulationDesign): PreparedDesign {
  const arms = design.arms ?? [
    { code: 'A', ratio: 1 },
    { code: 'B', ratio: 1 },
  ];
  if (design.method === 'import')
    throw new EngineError('an imported list cannot be simulated; simulate the method that produced it');
  const params = normalizeParams(design.method, design.params ?? {}, arms);
  const factors = design.factors ?? [];
  for (const f of factors) {
    if (f.levels.length < 1) throw new EngineError(`factor ${f.id}: expected at least one level`);
    const total = f.levels.reduce((s, l) => s + (l.prob ?? 1 / f.levels.length), 0);
    if (Math.abs(total - 1) > 1e-6)
      throw new EngineError(`factor ${f.id}: level probabilities must add up to 1, got ${total}`);
  }
  const method = design.method as MethodCode;
  // A covariate-adaptive method (minimization) balances the factors itself: no strata.
  const { covariates } = methodDescriptor(method);
  if (covariates)
    covariates.completeForSimulation(
      params,
      factors.map((f) => f.id),
    );
  return { method, params, arms, factors, stratify: !covariates && factors.length > 0 && design.stratify !== false };
}

export function chunkCount(trials: number): number {
  return Math.ceil(trials / CHUNK_TRIALS);
}

/** Range over arms of (count − total·share): the imbalance reported (|N_A − N_B| for 1:1). */
function imbalance(counts: ArrayLike<number>, offset: number, K: number, shares: Float64Array, total: number): number {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    const d = counts[offset + k] - total * shares[k];
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return max - min;
}

const newSums = (): GroupSums => ({ trialsWithPatients: 0, sumSize: 0, sumAbsImbalance: 0, balanced: 0 });

/**
 * How a patient's probabilities are found. Each mode gives the same numbers as calling the rule:
 * `constant` (simple: they never change), `shifted` (biased-coin, minimization: they depend only
 * on which arms are behind, so they come from a ShiftedTable), `rule` (everything else).
 */
type Mode = 'constant' | 'shifted' | 'rule';

/** Run chunk `chunk` of the simulation (trials chunk·CHUNK_TRIALS … up to options.trials). */
export function runChunk(design: PreparedDesign, options: SimulationOptions, chunk: number): ChunkResult {
  const trials = Math.min(CHUNK_TRIALS, options.trials - chunk * CHUNK_TRIALS);
  const { n } = options;
  const K = design.arms.length;
  const ratios = design.arms.map((a) => a.ratio);
  const ratioSum = ratios.reduce((s, r) => s + r, 0);
  const shares = Float64Array.from(ratios, (r) => r / ratioSum);
  const stream = deriveBatchStream(options.seed, 'simulation', `chunk-${chunk}`, 'simulation');
  const draw = () => stream.double(); // for block sizes; the loop calls stream.double() itself

  const factors = design.factors;
  const F = factors.length;
  const levelCounts = factors.map((f) => f.levels.length);
  const cumulative = factors.map((f) => {
    let acc = 0;
    return Float64Array.from(f.levels, (l) => (acc += l.prob ?? 1 / f.levels.length));
  });
  const stratify = design.stratify;
  const strataCount = stratify ? levelCounts.reduce((p, c) => p * c, 1) : 1;
  // The kernel and the fast path are the method's (its descriptor says which).
  const descriptor = methodDescriptor(design.method);
  const kernel = descriptor.covariates ? descriptor.covariates.kernel(design.params, ratios, levelCounts) : null;
  const rule: SequenceRule | null = kernel ? null : createSequenceRule(design.method, design.params, ratios, n);
  const usesBlocks = rule?.usesBlocks ?? false;
  const states: SequenceState[] = Array.from({ length: strataCount }, () => newSequenceState(K));
  // One buffer for all margins (one fill per trial); margin[f] is a view: margin[f][level*K + arm].
  const marginOffsets = Int32Array.from(levelCounts, (_, f) => levelCounts.slice(0, f).reduce((s, c) => s + c * K, 0));
  const marginBuffer = new Float64Array(levelCounts.reduce((s, c) => s + c * K, 0));
  const margin = levelCounts.map((c, f) => marginBuffer.subarray(marginOffsets[f], marginOffsets[f] + c * K));
  const level = new Int32Array(F);
  const overall = new Float64Array(K);
  const guess = new Uint8Array(K);

  const mode: Mode = descriptor.simulation.probabilities;
  const table = mode === 'shifted' ? new ShiftedTable(ratios, kernel ? kernel.p : (design.params.p ?? 2 / 3)) : null;
  let probs: Float64Array = new Float64Array(K);
  if (mode === 'constant') rule!.probabilities(states[0], probs);
  const constantForced = isForced(probs);

  const out: ChunkResult = {
    chunk,
    trials,
    absFinal: new Float64Array(trials),
    maxAbs: new Float64Array(trials),
    balanced: new Uint8Array(trials),
    correct: new Float64Array(trials),
    forced: new Float64Array(trials),
    armTotals: new Float64Array(K),
    strata: {},
    margins: {},
  };
  if (twoArmKernelApplies(design)) {
    runTwoArm(design, n, stream, out);
    return out;
  }
  const stratumSums = Array.from({ length: stratify ? strataCount : 0 }, newSums);
  const marginSums = factors.map((f) => f.levels.map(newSums));

  for (let t = 0; t < trials; t++) {
    for (let s = 0; s < strataCount; s++) resetState(states[s]);
    marginBuffer.fill(0);
    overall.fill(0);
    let maxAbs = 0;
    let correct = 0;
    let forced = 0;
    for (let i = 0; i < n; i++) {
      let stratum = 0;
      for (let f = 0; f < F; f++) {
        const u = stream.double();
        const c = cumulative[f];
        let l = 0;
        while (l < c.length - 1 && u >= c[l]) l++;
        level[f] = l;
        stratum = stratum * levelCounts[f] + l;
      }
      let guessCount = 0;
      const state = states[stratify ? stratum : 0];
      if (kernel) {
        guessCount = kernel.minimizing(margin, level, guess);
      } else {
        rule!.beginBlockIfNeeded(state, draw);
        // Convergence strategy: guess the arm(s) furthest behind (count/ratio) in this sequence.
        // For the biased coin this is also the set its probabilities favour (same test).
        const counts = state.counts;
        let min = Infinity;
        for (let k = 0; k < K; k++) min = Math.min(min, counts[k] / ratios[k]);
        for (let k = 0; k < K; k++) guessCount += guess[k] = counts[k] / ratios[k] - min < 1e-9 ? 1 : 0;
      }
      let isForcedNow: boolean;
      if (mode === 'shifted') {
        probs = table!.lookup(guess);
        isForcedNow = table!.forced;
      } else if (mode === 'rule') {
        rule!.probabilities(state, probs);
        isForcedNow = isForced(probs);
      } else isForcedNow = constantForced;
      const arm = pickArm(probs, stream.double());
      if (isForcedNow) forced++;
      if (guess[arm]) correct += 1 / guessCount;
      if (!kernel) commitAllocation(state, arm, usesBlocks);
      for (let f = 0; f < F; f++) marginBuffer[marginOffsets[f] + level[f] * K + arm]++;
      overall[arm]++;
      const d = imbalance(overall, 0, K, shares, i + 1);
      if (d > maxAbs) maxAbs = d;
    }
    const final = imbalance(overall, 0, K, shares, n);
    out.absFinal[t] = final;
    out.maxAbs[t] = maxAbs;
    out.balanced[t] = final < 1e-9 ? 1 : 0;
    out.correct[t] = correct / n;
    out.forced[t] = forced / n;
    for (let k = 0; k < K; k++) out.armTotals[k] += overall[k];
    for (let s = 0; s < stratumSums.length; s++) addGroup(stratumSums[s], states[s].counts, 0, K, shares);
    for (let f = 0; f < F; f++) {
      const sums = marginSums[f];
      for (let l = 0; l < sums.length; l++) addGroup(sums[l], marginBuffer, marginOffsets[f] + l * K, K, shares);
    }
  }
  if (stratify) stratumSums.forEach((sums, s) => (out.strata[stratumLabel(design, s)] = sums));
  marginSums.forEach((levels, f) =>
    levels.forEach((sums, l) => (out.margins[`${factors[f].id}=${factors[f].levels[l].code}`] = sums)),
  );
  return out;
}

function resetState(s: SequenceState): void {
  s.counts.fill(0);
  s.block.fill(0);
  s.total = s.blockLeft = s.blockSize = 0;
}

/** Adds one trial's counts of a group (counts[offset … offset+K)) to its sums. */
function addGroup(sums: GroupSums, counts: ArrayLike<number>, offset: number, K: number, shares: Float64Array): void {
  let size = 0;
  for (let k = 0; k < K; k++) size += counts[offset + k];
  if (size === 0) return;
  const d = imbalance(counts, offset, K, shares, size);
  sums.trialsWithPatients++;
  sums.sumSize += size;
  sums.sumAbsImbalance += d;
  if (d < 1e-9) sums.balanced++;
}

/** `course=RRMS|edss=LE5` for stratum index s (mixed radix, first factor most significant). */
export function stratumLabel(design: PreparedDesign, s: number): string {
  const parts: string[] = [];
  for (let f = design.factors.length - 1; f >= 0; f--) {
    const count = design.factors[f].levels.length;
    parts.unshift(`${design.factors[f].id}=${design.factors[f].levels[s % count].code}`);
    s = Math.floor(s / count);
  }
  return parts.join('|');
}
