/**
 * Kernels for the commonest simulations: two arms, no covariates, and a design whose next
 * probabilities follow from a few numbers (simple, biased coin, permuted blocks, truncated
 * binomial, big stick, Chen, Wei's urn). The whole state is in locals — counts, block contents, running imbalance — so a
 * patient costs one or two draws and a handful of arithmetic operations, with no call through
 * the sequence rule and no array write.
 *
 * Every step is the general loop's (simulation-core.ts) with K = 2 written out, in the same order
 * and with the same floating-point operations, so the figures are bit-identical (proved by
 * test/unit/simulation-identity.test.ts against figures frozen before these kernels existed):
 *   - imbalance: range over two values = |a − b| exactly (b − a and a − b differ only in sign);
 *   - pickArm: arms with probability ≤ 0 are skipped, the last arm with mass absorbs rounding;
 *   - the convergence guess and forced test use the same tolerances (1e-9, 1e-12).
 */
import { methodDescriptor } from './methods/index.js';
import type { PreparedDesign } from './simulation-core.js';
import { fixedBlocksApply, runFixedBlocks } from './simulation-fixed-blocks.js';
import { ShiftedTable } from './simulation-shifted.js';
import type { ChunkResult } from './simulation-types.js';
import type { Xor4096 } from './xor4096.js';

type TwoArmMethod = 'simple' | 'biased-coin' | 'permuted-block' | 'truncated-binomial' | 'big-stick' | 'chen' | 'urn';

/** Whether `runTwoArm` handles this design (otherwise the general loop does): its method's descriptor says so. */
export function twoArmKernelApplies(design: PreparedDesign): boolean {
  return (
    design.arms.length === 2 && design.factors.length === 0 && methodDescriptor(design.method).simulation.twoArmKernel
  );
}

/** Fill `out` (fresh, zeroed) with `out.trials` trials of n patients drawn from `stream`. */
export function runTwoArm(design: PreparedDesign, n: number, stream: Xor4096, out: ChunkResult): void {
  // Permuted blocks of one size, 1:1: the same figures from a table of the block's states.
  if (fixedBlocksApply(design)) runFixedBlocks(design, n, stream, out);
  else runTwoArmGeneral(design, n, stream, out);
}

/** runTwoArm without the fixed-block specialisation (exported so that the tests can compare the two). */
export function runTwoArmGeneral(design: PreparedDesign, n: number, stream: Xor4096, out: ChunkResult): void {
  const method = design.method as TwoArmMethod;
  const r0 = design.arms[0].ratio;
  const r1 = design.arms[1].ratio;
  const ratioSum = 0 + r0 + r1; // reduce((s, r) => s + r, 0), as the rule and the core compute it
  const s0 = r0 / ratioSum;
  const s1 = r1 / ratioSum;
  const sizes = design.params.blockSizes ?? [2 * ratioSum];
  const sizeCount = sizes.length;
  const blocks = method === 'permuted-block' || method === 'truncated-binomial';
  const binomial = method === 'truncated-binomial';
  const bounded = method === 'big-stick' || method === 'chen';
  const urn = method === 'urn';
  const bound = design.params.bound ?? 3;
  const alpha = design.params.alpha ?? 0;
  const beta = design.params.beta ?? 1;
  // Probabilities by the set of arms behind (key: bit 0 arm A, bit 1 arm B): coin[2·key + arm] is the
  // coin (simple: the target shares; biased coin, Chen: p; big stick: 1/2), coin[8 + 2·key + arm]
  // the bounded rules' forced step (forcedToBehind: all mass to the arms behind, by ratio).
  const coin = new Float64Array(16);
  const coinForced = new Uint8Array(8);
  const coinP = method === 'simple' ? 0.5 : method === 'big-stick' ? 0.5 : (design.params.p ?? 2 / 3);
  const table = new ShiftedTable([r0, r1], coinP);
  const guess = new Uint8Array(2);
  for (let key = 1; key < 4; key++) {
    guess[0] = key & 1;
    guess[1] = key >> 1;
    // Simple: the rule's constant vector r / Σr whatever is behind.
    const probs = method === 'simple' ? Float64Array.of(s0, s1) : table.lookup(guess);
    const sum = (guess[0] ? r0 : 0) + (guess[1] ? r1 : 0);
    const toBehind = [guess[0] ? 0 + r0 / sum : 0, guess[1] ? 0 + r1 / sum : 0];
    for (const [at, p] of [
      [0, probs],
      [8, toBehind],
    ] as const) {
      coin[at + 2 * key] = p[0];
      coin[at + 2 * key + 1] = p[1];
      coinForced[at / 2 + key] = p[0] >= 1 - 1e-12 || p[1] >= 1 - 1e-12 ? 1 : 0;
    }
  }
  const { absFinal, maxAbs: maxAbsOut, balanced, correct: correctOut, forced: forcedOut, armTotals } = out;
  let total0 = 0;
  let total1 = 0;
  for (let t = 0; t < out.trials; t++) {
    let c0 = 0;
    let c1 = 0;
    let b0 = 0;
    let b1 = 0;
    let left = 0;
    let maxAbs = 0;
    let correct = 0;
    let forced = 0;
    for (let i = 0; i < n; i++) {
      if (blocks && left <= 0) {
        const size =
          sizeCount === 1 ? sizes[0] : sizes[Math.min(sizeCount - 1, Math.floor(stream.double() * sizeCount))];
        b0 = (size / ratioSum) * r0;
        b1 = (size / ratioSum) * r1;
        left = size;
      }
      const e0 = c0 / r0;
      const e1 = c1 / r1;
      const min = Math.min(Infinity, e0, e1);
      const g0 = e0 - min < 1e-9 ? 1 : 0;
      const g1 = e1 - min < 1e-9 ? 1 : 0;
      let p0: number;
      let p1: number;
      let isForced: boolean;
      const key = g0 | (g1 << 1);
      if (blocks) {
        if (binomial) {
          // proportional() over the arms with places left: out[k] = 0 + ratio_k / Σ ratios included.
          const sum = (b0 > 0 ? r0 : 0) + (b1 > 0 ? r1 : 0);
          p0 = b0 > 0 ? 0 + r0 / sum : 0;
          p1 = b1 > 0 ? 0 + r1 / sum : 0;
        } else {
          p0 = b0 / left;
          p1 = b1 / left;
        }
        isForced = p0 >= 1 - 1e-12 || p1 >= 1 - 1e-12;
      } else if (urn) {
        // UD(α, β) with k = 2 and the sequence's total i, operations as in the rule.
        const denominator = 2 * alpha + beta * (2 - 1) * i;
        p0 = denominator === 0 ? 1 / 2 : (alpha + beta * (i - c0)) / denominator;
        p1 = denominator === 0 ? 1 / 2 : (alpha + beta * (i - c1)) / denominator;
        isForced = p0 >= 1 - 1e-12 || p1 >= 1 - 1e-12;
      } else {
        // Big stick / Chen: at the bound (ratioRange = |e0 − e1|) all mass goes to the arm(s) behind.
        const at = bounded && Math.abs(e0 - e1) >= bound - 1e-9 ? 8 : 0;
        p0 = coin[at + 2 * key];
        p1 = coin[at + 2 * key + 1];
        isForced = coinForced[at / 2 + key] === 1;
      }
      const u = stream.double();
      const arm = p0 > 0 ? (u < p0 ? 0 : p1 > 0 ? 1 : 0) : p1 > 0 ? 1 : 0;
      if (isForced) forced++;
      if (arm === 0) {
        if (g0) correct += 1 / (g0 + g1);
        c0++;
        b0--;
      } else {
        if (g1) correct += 1 / (g0 + g1);
        c1++;
        b1--;
      }
      left--;
      const total = i + 1;
      const d = Math.abs(c0 - total * s0 - (c1 - total * s1));
      if (d > maxAbs) maxAbs = d;
    }
    const final = Math.abs(c0 - n * s0 - (c1 - n * s1));
    absFinal[t] = final;
    maxAbsOut[t] = maxAbs;
    balanced[t] = final < 1e-9 ? 1 : 0;
    correctOut[t] = correct / n;
    forcedOut[t] = forced / n;
    total0 += c0;
    total1 += c1;
  }
  armTotals[0] += total0;
  armTotals[1] += total1;
}
