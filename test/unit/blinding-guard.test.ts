import { describe, expect, it } from '@jest/globals';
import { blindingVocabulary, findLeak } from '../../server/src/common/blinding.js';
import { demoProtocol } from '../support/factories.js';

describe('the blinding guard (fails closed)', () => {
  const vocab = blindingVocabulary(demoProtocol());

  it('flags arm fields, arm codes and labels, product codes and labels anywhere in a body', () => {
    expect(findLeak({ participants: [{ id: 'x', arm: 'MSC-PBO' }] }, vocab)).toMatch(/\.arm is an unblinded field/);
    expect(findLeak({ rows: [{ note: 'PBO-MSC' }] }, vocab)).toMatch(/arm or product value/);
    expect(findLeak({ deep: { deeper: ['PBO'] } }, vocab)).toMatch(/\$\.deep\.deeper\[0\]/);
    expect(findLeak('randomizationNumber,arm\n1,MSC-PBO\n', vocab)).toMatch(/contains/);
    expect(findLeak({ product: 'x' }, vocab)).not.toBeNull();
    expect(findLeak({ label: 'Placebo at baseline, MSC at week 24' }, vocab)).not.toBeNull();
  });

  it('lets blinded content through, including codes that merely contain the letters', () => {
    // A free-text "MSC" token would be flagged on purpose: the guard is conservative.
    expect(findLeak({ note: 'patient asked whether they got MSC, first or second' }, vocab)).not.toBeNull();
    expect(findLeak({ study: 'MSCT-MS', treatmentCode: 'MS-PBOX7Q', title: 'Autologous mesenchymal stem cell transplantation (double-blind, placebo-controlled)' }, vocab)).toBeNull();
    expect(findLeak([{ randomizationNumber: 1, treatmentCode: 'MS-7ZHN7E', stratum: 'course=RRMS|edss=LE5|site=A' }], vocab)).toBeNull();
    expect(findLeak(null, vocab)).toBeNull();
  });
});
