/**
 * The fixed-block kernel (simulation-fixed-blocks.ts) replaces runTwoArm's block branch for permuted
 * blocks of one size with equal ratios; its argument for bit-identical figures is checked here by
 * running both on the same streams for many block sizes, ratios, n (block boundaries and ragged last
 * blocks) and seeds, and comparing every output array bit for bit.
 */
import { prepareDesign, type ChunkResult } from '../../shared/engine/index.js';
import { fixedBlocksApply, runFixedBlocks } from '../../shared/engine/simulation-fixed-blocks.js';
import { runTwoArmGeneral } from '../../shared/engine/simulation-two-arm.js';
import { Xor4096 } from '../../shared/engine/xor4096.js';

const fresh = (trials: number): ChunkResult => ({
  chunk: 0,
  trials,
  absFinal: new Float64Array(trials),
  maxAbs: new Float64Array(trials),
  balanced: new Uint8Array(trials),
  correct: new Float64Array(trials),
  forced: new Float64Array(trials),
  armTotals: new Float64Array(2),
  strata: {},
  margins: {},
});
const bits = (c: ChunkResult) =>
  [c.absFinal, c.maxAbs, c.balanced, c.correct, c.forced, c.armTotals].map((a) =>
    Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v))).join(','),
  );

describe('fixed-block kernel against the general two-arm kernel', () => {
  const cases: Array<[number, number]> = [];
  for (const ratio of [1, 2, 3])
    for (const multiple of [1, 2, 3, 4]) if (2 * ratio * multiple <= 16) cases.push([ratio, 2 * ratio * multiple]);
  it.each(cases)('ratio %i:%i-sized blocks give the same figures bit for bit', (ratio, size) => {
    const design = prepareDesign({
      method: 'permuted-block',
      params: { blockSizes: [size] },
      arms: [
        { code: 'A', ratio },
        { code: 'B', ratio },
      ],
    });
    expect(fixedBlocksApply(design)).toBe(true);
    for (const n of [1, 2, 3, size - 1, size, size + 1, 37, 100]) {
      if (n < 1) continue;
      for (const seed of ['one', 'two']) {
        const trials = 300 + n; // several `take` batches for small n
        const fast = fresh(trials);
        const general = fresh(trials);
        runFixedBlocks(design, n, new Xor4096(`${seed}-${size}-${n}`), fast);
        runTwoArmGeneral(design, n, new Xor4096(`${seed}-${size}-${n}`), general);
        expect(bits(fast)).toEqual(bits(general));
      }
    }
  });

  it('leaves random block sizes, unequal ratios and very large blocks to the general kernel', () => {
    expect(fixedBlocksApply(prepareDesign({ method: 'permuted-block', params: { blockSizes: [2, 4] } }))).toBe(false);
    expect(
      fixedBlocksApply(
        prepareDesign({
          method: 'permuted-block',
          params: { blockSizes: [6] },
          arms: [
            { code: 'A', ratio: 2 },
            { code: 'B', ratio: 1 },
          ],
        }),
      ),
    ).toBe(false);
    expect(fixedBlocksApply(prepareDesign({ method: 'permuted-block', params: { blockSizes: [40] } }))).toBe(false);
    expect(fixedBlocksApply(prepareDesign({ method: 'truncated-binomial', params: { blockSizes: [4] } }))).toBe(false);
  });

  it('Xor4096.take continues the stream after double() (buffered draws first)', () => {
    const a = new Xor4096('take', 16);
    const b = new Xor4096('take', 16);
    const first = [a.double(), a.double(), a.double()];
    const rest = new Float64Array(100);
    a.take(rest);
    const expected = new Float64Array(103);
    b.fill(expected);
    expect([...first, ...rest]).toEqual([...expected]);
  });
});
