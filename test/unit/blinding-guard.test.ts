import { describe, expect, it } from '@jest/globals';
import { blindingVocabulary, findLeak, REDACTION_MARKER, redactLeaks } from '../../server/src/common/blinding.js';
import { demoProtocol } from '../support/factories.js';

describe('the blinding guard (withholds, never fails the answer) [BLIND-007]', () => {
  const vocab = blindingVocabulary(demoProtocol());

  it('flags arm fields, arm codes and labels, product codes and labels anywhere in a body, in any string', () => {
    expect(findLeak({ participants: [{ id: 'x', arm: 'MSC-PBO' }] }, vocab)).toMatch(/\.arm is an unblinded field/);
    expect(findLeak({ rows: [{ note: 'PBO-MSC' }] }, vocab)).toMatch(/names an arm or product/);
    expect(findLeak({ deep: { deeper: ['PBO'] } }, vocab)).toMatch(/\$\.deep\.deeper\[0\]/);
    expect(findLeak('randomizationNumber,arm\n1,MSC-PBO\n', vocab)).toMatch(/names/);
    expect(findLeak({ product: 'x' }, vocab)).not.toBeNull();
    expect(findLeak({ label: 'Placebo at baseline, MSC at week 24' }, vocab)).not.toBeNull();
    // No length or punctuation shortcut, and case does not matter.
    for (const short of ['msc', 'pbo', 'Placebo', 'pbo-msc', 'stem', 'MSC?'])
      expect(findLeak({ note: short }, vocab)).not.toBeNull();
  });

  it("lets blinded content through, including codes that merely contain the letters and the protocol's own texts", () => {
    expect(findLeak({ note: 'patient asked whether they got MSC, first or second' }, vocab)).not.toBeNull();
    expect(
      findLeak({ study: 'MSCT-MS', treatmentCode: 'MS-PBOX7Q', title: demoProtocol().study.title }, vocab),
    ).toBeNull();
    expect(
      findLeak([{ randomizationNumber: 1, treatmentCode: 'MS-7ZHN7E', stratum: 'course=RRMS|edss=LE5|site=A' }], vocab),
    ).toBeNull();
    expect(findLeak({ printedName: 'Pia Pharmacist (cell lab)', note: 'before the MSC harvest' }, vocab)).toBeNull();
    expect(findLeak(null, vocab)).toBeNull();
  });

  it('redaction replaces only the offending values and leaves the input untouched', () => {
    const body = {
      entries: [
        { seq: 1, reason: 'typo; arm PBO-MSC' },
        { seq: 2, reason: 'typo' },
      ],
      arm: 'MSC-PBO',
      n: 3,
    };
    const { body: out, withheld } = redactLeaks(body, vocab);
    expect(out).toEqual({
      entries: [
        { seq: 1, reason: REDACTION_MARKER },
        { seq: 2, reason: 'typo' },
      ],
      arm: REDACTION_MARKER,
      n: 3,
    });
    expect(withheld).toEqual(['$.entries[0].reason', '$.arm']);
    expect(body.entries[0].reason).toBe('typo; arm PBO-MSC');
    const csv = redactLeaks('seq,reason\n1,given placebo\n2,typo\n', vocab);
    expect(csv.body).toBe(`seq,reason\n1,given ${REDACTION_MARKER}\n2,typo\n`);
    expect(redactLeaks({ ok: 'fine' }, vocab).withheld).toEqual([]);
  });
});
