/**
 * Smith's generalized biased coin, added as one descriptor (shared/engine/methods/generalized-biased-coin.ts):
 * its special cases are methods we already trust (ρ = 0 simple, ρ = 1 Wei's urn UD(0, 1)), so the
 * same seed must give the same lists and the same exact figures; its exact model must agree with
 * an enumeration of every path of its rule; and it runs everywhere a method runs (the registry
 * completeness test, test/unit/methods.test.ts, covers the CLI flag and the form field).
 */
import {
  createSequenceRule,
  exactFigures,
  generateScheme,
  normalizeParams,
  simulate,
} from '../../shared/engine/index.js';
import { commitAllocation, newSequenceState, type SequenceState } from '../../shared/engine/sequence-rules.js';
import { msctProtocol } from './helpers.js';

const METHOD = 'generalized-biased-coin';
const protocol = msctProtocol();
const arms = (scheme: ReturnType<typeof generateScheme>) =>
  scheme.strata.map((s) => s.entries.map((e) => e.armCode).join(''));
const list = (method: string, params: Record<string, unknown>) =>
  generateScheme(protocol, { method, params, seed: 'gbcd-seed-0001', siteCodes: ['A', 'B'] });

/** E|D_n|, P(D_n = 0) and E max|D_i| of a two-arm rule by enumerating every path (2^n). */
function enumerate(params: Record<string, unknown>, n: number) {
  const rule = createSequenceRule(METHOD, params, [1, 1], n);
  const probs = new Float64Array(2);
  let meanAbs = 0;
  let balanced = 0;
  let meanMax = 0;
  const walk = (state: SequenceState, p: number, max: number) => {
    const d = state.counts[0] - state.counts[1];
    if (state.total === n) {
      meanAbs += p * Math.abs(d);
      balanced += d === 0 ? p : 0;
      meanMax += p * max;
      return;
    }
    rule.probabilities(state, probs);
    const [pA, pB] = [probs[0], probs[1]];
    for (const [arm, q] of [
      [0, pA],
      [1, pB],
    ] as const) {
      if (q <= 0) continue;
      const next: SequenceState = { ...state, counts: [...state.counts], block: [...state.block] };
      commitAllocation(next, arm, false);
      walk(next, p * q, Math.max(max, Math.abs(next.counts[0] - next.counts[1])));
    }
  };
  walk(newSequenceState(2), 1, 0);
  return { meanAbs, balanced, meanMax };
}

describe("Smith's generalized biased coin", () => {
  it("ρ = 1 is Wei's urn UD(0, 1) and ρ = 0 simple randomization: the same lists from the same seed", () => {
    expect(arms(list(METHOD, { rho: 1 }))).toEqual(arms(list('urn', { alpha: 0, beta: 1 })));
    expect(arms(list(METHOD, { rho: 0 }))).toEqual(arms(list('simple', {})));
    expect(arms(list(METHOD, { rho: 4 }))).not.toEqual(arms(list('urn', { alpha: 0, beta: 1 })));
  });

  it("ρ = 1 has exactly the urn's exact figures; a larger ρ balances more", () => {
    const urn = exactFigures({ method: 'urn', params: { alpha: 0, beta: 1 } }, 60);
    const gbcd = exactFigures({ method: METHOD, params: { rho: 1 } }, 60);
    expect({ ...gbcd, method: 'urn', params: urn.params, seconds: 0 }).toEqual({ ...urn, seconds: 0 });
    const rho4 = exactFigures({ method: METHOD, params: { rho: 4 } }, 60);
    expect(rho4.meanAbsImbalance).toBeLessThan(gbcd.meanAbsImbalance);
  });

  it('its exact model agrees with every path of its rule (n = 14, ρ = 2.5)', () => {
    const exact = exactFigures({ method: METHOD, params: { rho: 2.5 } }, 14);
    const paths = enumerate({ rho: 2.5 }, 14);
    expect(exact.meanAbsImbalance).toBeCloseTo(paths.meanAbs, 12);
    expect(exact.probBalanced).toBeCloseTo(paths.balanced, 12);
    expect(exact.meanMaxAbsImbalance).toBeCloseTo(paths.meanMax, 12);
  });

  it('checks its parameter and its arms; simulates with three arms; runs live', () => {
    expect(
      normalizeParams(METHOD, {}, [
        { code: 'A', ratio: 1 },
        { code: 'B', ratio: 1 },
      ]),
    ).toEqual({ rho: 2 });
    expect(() =>
      normalizeParams(METHOD, { rho: -1 }, [
        { code: 'A', ratio: 1 },
        { code: 'B', ratio: 1 },
      ]),
    ).toThrow('parameter rho: expected a number between 0 and 20, got -1');
    expect(() =>
      normalizeParams(METHOD, {}, [
        { code: 'A', ratio: 2 },
        { code: 'B', ratio: 1 },
      ]),
    ).toThrow(/equal ratios only/);
    const three = simulate(
      { method: METHOD, params: { rho: 3 }, arms: ['A', 'B', 'C'].map((code) => ({ code, ratio: 1 })) },
      { n: 30, trials: 400, seed: 'gbcd' },
    );
    for (const share of Object.values(three.armProportions)) expect(share).toBeCloseTo(1 / 3, 2);
    expect(
      generateScheme(protocol, { method: METHOD, seed: 'gbcd-seed-0001', siteCodes: ['A'], live: true }).live,
    ).toBe(true);
  });
});
