import { deriveStratum } from '../../shared/protocol/index.js';
import { allocateDynamic, generateScheme, replayDynamic, schemeFingerprint } from '../../shared/engine/index.js';
import type { DynamicHistoryItem, Scheme } from '../../shared/engine/index.js';
import { eligibleRrms, msctProtocol } from './helpers.js';

const protocol = msctProtocol();
const courses = ['RRMS', 'SPMS', 'PPMS'];

function patients(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const s = deriveStratum(
      protocol,
      eligibleRrms({ course: courses[i % 3], edss: i % 4 === 0 ? 6 : 4 }),
      i % 5 === 0 ? 'B' : 'A',
    );
    return { stratumKey: s.key, covariates: s.levels };
  });
}

function run(scheme: Scheme, list: ReturnType<typeof patients>) {
  const history: DynamicHistoryItem[] = [];
  const decisions = list.map((patient) => {
    const d = allocateDynamic(scheme, history, patient);
    history.push({ ...patient, armCode: d.armCode, treatmentCode: d.treatmentCode });
    return { patient, ...d };
  });
  return decisions;
}

describe('allocateDynamic: minimization', () => {
  const scheme = generateScheme(protocol, {
    method: 'minimization',
    params: { p: 0.8 },
    seed: 'minimization-seed',
    siteCodes: ['A', 'B'],
  });

  it('is live, with every stratum and no list, and a stable fingerprint', () => {
    expect(scheme.live).toBe(true);
    expect(scheme.strata.every((s) => s.entries.length === 0)).toBe(true);
    expect(scheme.params).toEqual({
      p: 0.8,
      imbalance: 'range',
      factors: ['course', 'edss', 'site'],
      weights: { course: 1, edss: 1, site: 1 },
    });
    expect(schemeFingerprint(scheme)).toBe(
      schemeFingerprint(
        generateScheme(protocol, {
          method: 'minimization',
          params: { p: 0.8 },
          seed: 'minimization-seed',
          siteCodes: ['A', 'B'],
        }),
      ),
    );
  });

  it('records the draw, probabilities, scores and covariates; the first patient is a fair tie [RAND-012]', () => {
    const [first, second] = run(scheme, patients(2));
    expect(first.record.drawIndex).toBe(0);
    expect(first.record.probabilities).toEqual({ 'MSC-PBO': 0.5, 'PBO-MSC': 0.5 });
    expect(first.record.scores).toEqual({ 'MSC-PBO': 3, 'PBO-MSC': 3 });
    expect(first.record.covariates).toEqual({ course: 'RRMS', edss: 'GE5.5', site: 'B' });
    expect(second.record.drawIndex).toBe(1);
    // Patient 2 shares no level with patient 1: every factor's imbalance is 1 for either arm.
    expect(second.record.scores).toEqual({ 'MSC-PBO': 3, 'PBO-MSC': 3 });
  });

  it('gives p = 0.8 to the arm that minimizes imbalance', () => {
    const list = patients(2);
    const history: DynamicHistoryItem[] = [{ ...list[0], armCode: 'MSC-PBO' }];
    const d = allocateDynamic(scheme, history, list[0]);
    expect(d.record.scores).toEqual({ 'MSC-PBO': 6, 'PBO-MSC': 0 });
    expect(d.record.probabilities['PBO-MSC']).toBeCloseTo(0.8, 12);
  });

  it('replays 60 decisions with no mismatch, and finds a changed arm [RAND-012]', () => {
    const decisions = run(scheme, patients(60));
    expect(replayDynamic(scheme, decisions)).toEqual([]);
    const tampered = decisions.map((d) => ({ ...d }));
    tampered[17] = { ...tampered[17], armCode: tampered[17].armCode === 'MSC-PBO' ? 'PBO-MSC' : 'MSC-PBO' };
    expect(replayDynamic(scheme, tampered)[0]).toEqual({
      index: 17,
      expected: decisions[17].armCode,
      actual: tampered[17].armCode,
    });
  });

  it('gives unique treatment codes across the study [BLIND-009]', () => {
    const codes = run(scheme, patients(200)).map((d) => d.treatmentCode);
    expect(new Set(codes).size).toBe(200);
  });
});

describe('allocateDynamic: a live biased coin per stratum', () => {
  const scheme = generateScheme(protocol, {
    method: 'biased-coin',
    seed: 'live-coin-seed',
    siteCodes: ['A', 'B'],
    live: true,
  });

  it('gives each stratum the same sequence whatever the enrolment order across strata', () => {
    const list = patients(48);
    const reordered = [...list.filter((_, i) => i % 2 === 1), ...list.filter((_, i) => i % 2 === 0)];
    const perStratum = (ds: ReturnType<typeof run>) => {
      const out: Record<string, string[]> = {};
      for (const d of ds) (out[d.patient.stratumKey] ??= []).push(d.armCode);
      return out;
    };
    // Within a stratum the order of its own patients is kept; only the interleaving changes.
    expect(perStratum(run(scheme, reordered))).toEqual(perStratum(run(scheme, list)));
  });

  it('refuses a list scheme', () => {
    const listScheme = generateScheme(protocol, { method: 'permuted-block', seed: 'live-coin-seed', siteCodes: ['A'] });
    expect(() => allocateDynamic(listScheme, [], patients(1)[0])).toThrow(/pre-generated list/);
  });
});
