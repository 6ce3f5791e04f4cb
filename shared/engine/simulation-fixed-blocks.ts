/**
 * Kernel for permuted blocks of ONE fixed size with two arms of equal ratio and no covariates (the
 * commonest design, and issue 13's benchmark). It is a specialisation of runTwoArm's block branch
 * (simulation-two-arm.ts) that gives the same figures bit for bit, in the same draw order.
 *
 * Why a table can replace the per-patient arithmetic (ratios r:r, block size S, a multiple of 2r):
 *   - every block starts balanced (each full block puts S/2 on each arm), so c0 − c1 during a block
 *     is D = 2a − j, where j is the position in the block and a the block's arm-0 count so far;
 *   - the rule's p0 = b0/left is the division of the same two integers as in runTwoArm
 *     (b0 = (S/2r)·r − a = S/2 − a exactly, left = S − j), so the table holds the same double, and
 *     so does the forced test on it; `u < p0 ? 0 : 1` equals runTwoArm's pickArm expression because
 *     p0 + p1 = 1 with both ≥ 0 (p0 = 1 ⇒ u < 1 always; p0 = 0 ⇒ arm 1) and u is never 0;
 *   - the convergence guess on e_k = c_k/r: equal counts guess both arms, otherwise only the arm
 *     behind (|c0/r − c1/r| ≥ 1/r − rounding ≫ 1e-9 for r ≤ MAX_RATIO), so the credit is 1, ½ or 0;
 *   - the imbalance |c0 − t·½ − (c1 − t·½)| is |D| exactly (half-integers far below 2^53);
 *   - per trial the credits (multiples of ½), the forced count and the arm-0 count are sums of
 *     exactly representable values, so their order does not matter; correct/n and forced/n are the
 *     same divisions as before.
 * test/unit/simulation-identity.test.ts (frozen figures) and test/unit/simulation-fixed-blocks.test.ts
 * (this kernel against runTwoArm's general branch on many sizes, ratios, n and seeds) check it.
 *
 * A patient then costs one draw (always consumed, forced or not, as before), one table read and one
 * comparison; the arms of a block form a path code (a leading 1, then one bit per patient), and one
 * look-up per block gives the block's credits, forced count, arm-1 count and largest |c0 − c1|.
 * Each block starts from the same state, so consecutive blocks do not wait on each other (the CPU
 * overlaps them). The draws come from the batch xor4096, many trials' worth per call.
 */
import type { PreparedDesign } from './simulation-core.js';
import type { ChunkResult } from './simulation-types.js';
import type { Xor4096 } from './xor4096.js';

/** Beyond this ratio the guess-tolerance argument above is not claimed: runTwoArm takes the design. */
const MAX_RATIO = 1_000_000;
/** Largest block tabulated (path codes up to 2^(S+1)); larger blocks take runTwoArm's general branch. */
const MAX_SIZE = 16;

/** Whether runFixedBlocks gives this (two-arm, no-covariate) design's figures. */
export function fixedBlocksApply(design: PreparedDesign): boolean {
  const sizes = design.params.blockSizes;
  return (
    design.method === 'permuted-block' &&
    design.arms.length === 2 &&
    design.factors.length === 0 &&
    design.arms[0].ratio === design.arms[1].ratio &&
    design.arms[0].ratio <= MAX_RATIO &&
    sizes !== undefined &&
    sizes.length === 1 &&
    sizes[0] <= MAX_SIZE
  );
}

interface BlockTable {
  /** p0 by state j·(S+1) + a (position in the block, arm-0 allocations so far). */
  threshold: Float64Array;
  /** By path code (1, then the arms so far as bits): the block's figures up to that patient. */
  credit: Float64Array;
  forced: Int32Array;
  arms1: Int32Array;
  maxAbs: Int32Array;
  endAbs: Int32Array;
}

const tables = new Map<number, BlockTable>();

function blockTable(size: number): BlockTable {
  const cached = tables.get(size);
  if (cached) return cached;
  const width = size + 1;
  const half = size / 2;
  const paths = 2 << size;
  const t: BlockTable = {
    threshold: new Float64Array(size * width),
    credit: new Float64Array(paths),
    forced: new Int32Array(paths),
    arms1: new Int32Array(paths),
    maxAbs: new Int32Array(paths),
    endAbs: new Int32Array(paths),
  };
  for (let j = 0; j < size; j++) for (let a = 0; a <= j; a++) t.threshold[j * width + a] = (half - a) / (size - j);
  // Every path the rule can take (no arm beyond its S/2 places), each from its parent in O(1).
  const extend = (code: number, j: number, a: number): void => {
    if (j === size) return;
    const left = size - j;
    const p0 = (half - a) / left;
    const p1 = (half - (j - a)) / left;
    const forced = p0 >= 1 - 1e-12 || p1 >= 1 - 1e-12 ? 1 : 0;
    const d = 2 * a - j; // c0 − c1 before this patient
    const guessed = d === 0 ? 2 : 1; // arms guessed: both when level, else the one behind
    for (let arm = 0; arm < 2; arm++) {
      if ((arm === 0 ? half - a : half - (j - a)) <= 0) continue; // that arm's places are used up
      const child = 2 * code + arm;
      const behind = arm === 0 ? d <= 0 : d >= 0;
      const after = Math.abs(arm === 0 ? d + 1 : d - 1);
      t.credit[child] = t.credit[code] + (behind ? 1 / guessed : 0);
      t.forced[child] = t.forced[code] + forced;
      t.arms1[child] = t.arms1[code] + arm;
      t.maxAbs[child] = Math.max(t.maxAbs[code], after);
      t.endAbs[child] = after;
      extend(child, j + 1, arm === 0 ? a + 1 : a);
    }
  };
  extend(1, 0, 0);
  tables.set(size, t);
  return t;
}

/** Draws per `take` call: whole trials, about 64k doubles (512 KiB). */
const BATCH = 1 << 16;
let scratch = new Float64Array(0);

/** Fill `out` (fresh, zeroed) with `out.trials` trials of n patients drawn from `stream`. */
export function runFixedBlocks(design: PreparedDesign, n: number, stream: Xor4096, out: ChunkResult): void {
  const size = design.params.blockSizes![0];
  const width = size + 1;
  const { threshold, credit, forced: forcedBy, arms1: arms1By, maxAbs: maxAbsBy, endAbs } = blockTable(size);
  const trialsPerTake = Math.max(1, Math.floor(BATCH / n));
  if (scratch.length < trialsPerTake * n) scratch = new Float64Array(trialsPerTake * n);
  const u = scratch;
  const { absFinal, maxAbs: maxAbsOut, balanced, correct: correctOut, forced: forcedOut } = out;
  let total1 = 0;
  let k = 0;
  let end = 0;
  for (let t = 0; t < out.trials; t++) {
    if (k === end) {
      end = Math.min(out.trials - t, trialsPerTake) * n;
      stream.take(u, 0, end);
      k = 0;
    }
    let maxAbs = 0;
    let correct = 0;
    let forced = 0;
    let final = 0;
    for (let i = 0; i < n;) {
      let s = 0;
      let code = 1;
      const blockEnd = Math.min(n, i + size);
      for (; i < blockEnd; i++) {
        const arm = +(u[k++] >= threshold[s]); // runTwoArm: u < p0 ? 0 : 1
        s += width + 1 - arm;
        code = 2 * code + arm;
      }
      correct += credit[code];
      forced += forcedBy[code];
      total1 += arms1By[code];
      maxAbs = Math.max(maxAbs, maxAbsBy[code]);
      final = endAbs[code];
    }
    absFinal[t] = final;
    maxAbsOut[t] = maxAbs;
    balanced[t] = final < 1e-9 ? 1 : 0;
    correctOut[t] = correct / n;
    forcedOut[t] = forced / n;
  }
  out.armTotals[0] += out.trials * n - total1;
  out.armTotals[1] += total1;
}
