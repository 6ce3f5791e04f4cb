import { allStrata, deriveStratum, StratumDerivationError } from '../../shared/protocol/index.js';
import { eligibleRrms, msctProtocol, parallelProtocol } from './helpers.js';

const protocol = msctProtocol();

describe('strata [RAND-010]', () => {
  it('derives the canonical key from course, EDSS band and site', () => {
    expect(deriveStratum(protocol, eligibleRrms({ edss: 5.0 }), 'A')).toEqual({
      key: 'course=RRMS|edss=LE5|site=A',
      levels: { course: 'RRMS', edss: 'LE5', site: 'A' },
    });
    expect(deriveStratum(protocol, eligibleRrms({ course: 'PPMS', edss: 5.5 }), 'B').key).toBe(
      'course=PPMS|edss=GE5.5|site=B',
    );
  });

  it('names the missing or unfit answer in a typed error', () => {
    expect(() => deriveStratum(protocol, { course: 'RRMS' }, 'A')).toThrow(StratumDerivationError);
    expect(() => deriveStratum(protocol, { course: 'RRMS' }, 'A')).toThrow(/no answer to question "edss"/);
    expect(() => deriveStratum(protocol, { course: 'RRMS', edss: 5.2 }, 'A')).toThrow(
      /fits no level of stratification factor "Baseline EDSS band"/,
    );
    expect(() => deriveStratum(protocol, eligibleRrms(), 'C')).toThrow(/unknown site "C"/);
  });

  it('lists 3 × 2 × 2 strata for two sites, in a fixed order', () => {
    const strata = allStrata(protocol, ['A', 'B']);
    expect(strata).toHaveLength(12);
    expect(strata[0].key).toBe('course=RRMS|edss=LE5|site=A');
    expect(new Set(strata.map((s) => s.key)).size).toBe(12);
  });

  it('has a single stratum "all" for an unstratified design', () => {
    expect(allStrata(parallelProtocol(), ['A'])).toEqual([{ key: 'all', levels: {} }]);
    expect(deriveStratum(parallelProtocol(), {}, 'A').key).toBe('all');
  });
});
