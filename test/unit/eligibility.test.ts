import { evaluateEligibility } from '../../shared/protocol/index.js';
import { eligibleRrms, msctProtocol } from './helpers.js';

const protocol = msctProtocol();
const ids = (answers: Record<string, unknown>) => evaluateEligibility(protocol, answers).failures.map((f) => f.id);

describe('eligibility: RRMS (one or more signs of activity) [RAND-008]', () => {
  it('passes with a single relapse in the past 12 months', () => {
    expect(evaluateEligibility(protocol, eligibleRrms())).toEqual({ eligible: true, failures: [] });
  });

  it.each([
    ['2 relapses in 24 months', { relapses_12m: 0, relapses_24m: 2 }],
    ['a GEL in 12 months', { relapses_12m: 0, gel_12m: 1 }],
    ['a new T2 lesion', { relapses_12m: 0, new_t2_12m: true }],
  ])('passes with only %s', (_label, overrides) => {
    expect(evaluateEligibility(protocol, eligibleRrms(overrides)).eligible).toBe(true);
  });

  it('fails the activity group, with every sub-reason, when no sign is present', () => {
    const result = evaluateEligibility(protocol, eligibleRrms({ relapses_12m: 0, relapses_24m: 1 }));
    expect(result.eligible).toBe(false);
    expect(result.failures.map((f) => f.id)).toEqual(['rrms-activity']);
    expect(result.failures[0].reason).toContain('none of the following holds');
    expect(result.failures[0].reason).toContain('required at least 2');
  });

  it('fails when the patient responded to therapy', () => {
    expect(ids(eligibleRrms({ failed_therapy_1y: false }))).toEqual(['rrms-therapy']);
  });
});

describe('eligibility: SPMS (both an EDSS increase and activity) [RAND-008]', () => {
  const spms = (o: Record<string, unknown>) =>
    eligibleRrms({ course: 'SPMS', edss: 4.5, edss_increase_12m: 1.0, relapses_12m: 0, gel_12m: 1, ...o });

  it('passes with a 1.0 point increase at EDSS ≤ 5.0 and a GEL', () => {
    expect(evaluateEligibility(protocol, spms({})).eligible).toBe(true);
  });

  it('needs ≥ 1.0 point when EDSS ≤ 5.0 but only ≥ 0.5 point when EDSS ≥ 5.5', () => {
    expect(ids(spms({ edss_increase_12m: 0.5 }))).toEqual(['spms-edss-increase']);
    expect(evaluateEligibility(protocol, spms({ edss: 6.0, edss_increase_12m: 0.5 })).eligible).toBe(true);
  });

  it('fails both conditions at once and reports both', () => {
    expect(ids(spms({ edss_increase_12m: 0, gel_12m: 0 }))).toEqual(['spms-edss-increase', 'spms-activity']);
  });
});

describe('eligibility: PPMS (all the following) [RAND-008]', () => {
  const ppms = (o: Record<string, unknown>) =>
    eligibleRrms({
      course: 'PPMS',
      edss: 6.0,
      edss_increase_12m: 0.5,
      gel_12m: 2,
      csf_ocb: true,
      failed_therapy_1y: undefined,
      ...o,
    });

  it('passes with all three features, without the RRMS therapy question', () => {
    expect(evaluateEligibility(protocol, ppms({}))).toEqual({ eligible: true, failures: [] });
  });

  it('reports each missing feature', () => {
    expect(ids(ppms({ gel_12m: 0, csf_ocb: false }))).toEqual(['ppms-gel', 'ppms-csf']);
  });
});

describe('eligibility: common criteria and missing answers [RAND-008]', () => {
  it('returns every failed criterion, not only the first', () => {
    const failures = ids(
      eligibleRrms({ age: 17, disease_duration: 11, edss: 7, active_infection: true, immunosuppressants_3m: true }),
    );
    expect(failures).toEqual([
      'age',
      'disease-duration',
      'edss-range',
      'no-active-infection',
      'no-recent-immunosuppressants',
    ]);
  });

  it('treats a missing answer as a failure with a clear reason', () => {
    const answers = eligibleRrms();
    delete answers.age;
    const result = evaluateEligibility(protocol, answers);
    expect(result.failures).toEqual([
      { id: 'age', text: 'Age 18 to 50 years', reason: 'no answer to question "age" (Age)' },
    ]);
  });

  it('rejects an answer of the wrong type', () => {
    const result = evaluateEligibility(protocol, eligibleRrms({ age: '35' }));
    expect(result.failures[0].reason).toBe('answer to "age" (Age) must be a number, got "35"');
  });

  it('cannot decide a course-specific criterion without the course', () => {
    const answers = eligibleRrms();
    delete answers.course;
    expect(ids(answers)).toEqual(['ms-course', 'rrms', 'spms', 'ppms']);
  });

  it('accepts the boundaries of the ranges (18, 50, 2, 10, 3.0, 6.5)', () => {
    expect(evaluateEligibility(protocol, eligibleRrms({ age: 18, disease_duration: 10, edss: 3.0 })).eligible).toBe(
      true,
    );
    expect(evaluateEligibility(protocol, eligibleRrms({ age: 50, disease_duration: 2, edss: 6.5 })).eligible).toBe(
      true,
    );
  });
});
