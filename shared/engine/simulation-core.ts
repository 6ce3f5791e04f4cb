/**
 * The simulation inner loop: one chunk of trials from one derived stream. Written for speed
 * (typed arrays, no allocation per patient) but driven by the same sequence rules as list
 * generation; minimization uses an array form of the same scoring (checked against
 * minimization.ts in the tests).
 */
import type { MethodCode } from '../protocol/method-codes.js';
import { EngineError } from './errors.js';
import { normalizeParams, type ArmWeight, type MethodParams } from './params.js';
import { commitAllocation, createSequenceRule, isForced, newSequenceState, pickArm, type SequenceRule, type SequenceState } from './sequence-rules.js';
import { deriveStream } from './streams.js';
import { CHUNK_TRIALS, type ChunkResult, type GroupSums, type SimulationDesign, type SimulationFactor, type SimulationOptions } from './simulation-types.js';
import { MinimizationKernel } from './simulation-minimization.js';

export interface PreparedDesign {
  method: MethodCode;
  params: MethodParams;
  arms: ArmWeight[];
  factors: SimulationFactor[];
  stratify: boolean;
}

/** Check a design and fill its defaults (two arms 1:1; minimization factors as given). */
export function prepareDesign(design: SimulationDesign): PreparedDesign {
  const arms = design.arms ?? [{ code: 'A', ratio: 1 }, { code: 'B', ratio: 1 }];
  if (design.method === 'import') throw new EngineError('an imported list cannot be simulated; simulate the method that produced it');
  const params = normalizeParams(design.method, design.params ?? {}, arms);
  const factors = design.factors ?? [];
  for (const f of factors) {
    if (f.levels.length < 1) throw new EngineError(`factor ${f.id}: expected at least one level`);
    const total = f.levels.reduce((s, l) => s + (l.prob ?? 1 / f.levels.length), 0);
    if (Math.abs(total - 1) > 1e-6) throw new EngineError(`factor ${f.id}: level probabilities must add up to 1, got ${total}`);
  }
  const method = design.method as MethodCode;
  if (method === 'minimization') {
    if (factors.length === 0) throw new EngineError('simulating minimization needs at least one factor');
    params.factors = factors.map((f) => f.id);
    params.weights = Object.fromEntries(factors.map((f) => [f.id, params.weights?.[f.id] ?? 1]));
  }
  return { method, params, arms, factors, stratify: method !== 'minimization' && factors.length > 0 && design.stratify !== false };
}

export function chunkCount(trials: number): number {
  return Math.ceil(trials / CHUNK_TRIALS);
}

/** Range over arms of (count − total·share): the imbalance reported (|N_A − N_B| for 1:1). */
function imbalance(counts: ArrayLike<number>, shares: Float64Array, total: number): number {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < shares.length; k++) {
    const d = counts[k] - total * shares[k];
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return max - min;
}

const newSums = (): GroupSums => ({ trialsWithPatients: 0, sumSize: 0, sumAbsImbalance: 0, balanced: 0 });

/** Run chunk `chunk` of the simulation (trials chunk·CHUNK_TRIALS … up to options.trials). */
export function runChunk(design: PreparedDesign, options: SimulationOptions, chunk: number): ChunkResult {
  const trials = Math.min(CHUNK_TRIALS, options.trials - chunk * CHUNK_TRIALS);
  const { n } = options;
  const K = design.arms.length;
  const ratios = design.arms.map((a) => a.ratio);
  const ratioSum = ratios.reduce((s, r) => s + r, 0);
  const shares = Float64Array.from(ratios, (r) => r / ratioSum);
  const stream = deriveStream(options.seed, 'simulation', `chunk-${chunk}`, 'simulation');
  const draw = () => stream.double();

  const factors = design.factors;
  const levelCounts = factors.map((f) => f.levels.length);
  const cumulative = factors.map((f) => {
    let acc = 0;
    return Float64Array.from(f.levels, (l) => (acc += l.prob ?? 1 / f.levels.length));
  });
  const strataCount = design.stratify ? levelCounts.reduce((p, c) => p * c, 1) : 1;
  const rule: SequenceRule | null = design.method === 'minimization' ? null : createSequenceRule(design.method, design.params, ratios, n);
  const kernel = design.method === 'minimization' ? new MinimizationKernel(design.params, ratios, levelCounts) : null;
  const states: SequenceState[] = Array.from({ length: strataCount }, () => newSequenceState(K));
  const margin = factors.map((_, f) => new Float64Array(levelCounts[f] * K)); // margin[f][level*K + arm]
  const level = new Int32Array(factors.length);
  const overall = new Float64Array(K);
  const probs = new Float64Array(K);
  const guess = new Uint8Array(K);

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
  const stratumSums = Array.from({ length: design.stratify ? strataCount : 0 }, newSums);
  const marginSums = factors.map((f) => f.levels.map(newSums));

  for (let t = 0; t < trials; t++) {
    for (const s of states) {
      s.counts.fill(0);
      s.block.fill(0);
      s.total = s.blockLeft = s.blockSize = 0;
    }
    for (const m of margin) m.fill(0);
    overall.fill(0);
    let maxAbs = 0;
    let correct = 0;
    let forced = 0;
    for (let i = 0; i < n; i++) {
      let stratum = 0;
      for (let f = 0; f < factors.length; f++) {
        const u = draw();
        const c = cumulative[f];
        let l = 0;
        while (l < c.length - 1 && u >= c[l]) l++;
        level[f] = l;
        stratum = stratum * levelCounts[f] + l;
      }
      let guessCount = 0;
      if (kernel) {
        guessCount = kernel.probabilities(margin, level, probs, guess);
      } else {
        const state = states[design.stratify ? stratum : 0];
        rule!.beginBlockIfNeeded(state, draw);
        rule!.probabilities(state, probs);
        // Convergence strategy: guess the arm(s) furthest behind (count/ratio) in this sequence.
        let min = Infinity;
        for (let k = 0; k < K; k++) min = Math.min(min, state.counts[k] / ratios[k]);
        for (let k = 0; k < K; k++) guessCount += guess[k] = state.counts[k] / ratios[k] - min < 1e-9 ? 1 : 0;
      }
      const arm = pickArm(probs, draw());
      if (isForced(probs)) forced++;
      if (guess[arm]) correct += 1 / guessCount;
      if (!kernel) commitAllocation(states[design.stratify ? stratum : 0], arm, rule!.usesBlocks);
      for (let f = 0; f < factors.length; f++) margin[f][level[f] * K + arm]++;
      overall[arm]++;
      const d = imbalance(overall, shares, i + 1);
      if (d > maxAbs) maxAbs = d;
    }
    const final = imbalance(overall, shares, n);
    out.absFinal[t] = final;
    out.maxAbs[t] = maxAbs;
    out.balanced[t] = final < 1e-9 ? 1 : 0;
    out.correct[t] = correct / n;
    out.forced[t] = forced / n;
    for (let k = 0; k < K; k++) out.armTotals[k] += overall[k];
    stratumSums.forEach((sums, s) => addGroup(sums, states[s].counts, shares));
    marginSums.forEach((levels, f) => levels.forEach((sums, l) => addGroup(sums, margin[f].subarray(l * K, l * K + K), shares)));
  }
  if (design.stratify) stratumSums.forEach((sums, s) => (out.strata[stratumLabel(design, s)] = sums));
  marginSums.forEach((levels, f) => levels.forEach((sums, l) => (out.margins[`${factors[f].id}=${factors[f].levels[l].code}`] = sums)));
  return out;
}

function addGroup(sums: GroupSums, counts: ArrayLike<number>, shares: Float64Array): void {
  let size = 0;
  for (let k = 0; k < counts.length; k++) size += counts[k];
  if (size === 0) return;
  const d = imbalance(counts, shares, size);
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
