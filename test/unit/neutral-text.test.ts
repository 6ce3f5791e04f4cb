import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blindingVocabulary } from '../../server/src/common/blinding.js';
import { requireNeutralText } from '../../server/src/common/neutral-text.js';
import { findArmWord, findArmWords, neutralTextVocabulary, parseProtocolOrThrow } from '../../shared/protocol/index.js';
import { demoProtocol } from '../support/factories.js';

describe('the neutral-text check [BLIND-006]', () => {
  const vocab = neutralTextVocabulary(demoProtocol());
  const hit = (text: string) => findArmWord(text, vocab)?.word ?? null;

  it('finds arm and product codes, labels and their distinctive words, word-based and ignoring case', () => {
    expect(hit('stratum typo; arm PBO-MSC')).toBe('PBO-MSC');
    expect(hit('stratum typo; arm pbo msc')).toBe('pbo msc');
    expect(hit('got msc first')).toBe('msc');
    expect(hit('Placebo first')).toBe('Placebo');
    expect(hit('the mesenchymal product')).toBe('mesenchymal');
    expect(hit('cells were infused')).toBe('cells');
    expect(hit('suspension medium only')).toBe('suspension');
    expect(hit('arm MSCPBO')).toBe('MSCPBO');
  });

  it('is not fooled by spacing, full-width letters or invisible characters', () => {
    expect(hit('it was P B O')).toBe('P B O');
    expect(hit('it was p.b.o.')).toBe('p.b.o');
    expect(hit('it was ＰＢＯ')).not.toBeNull();
    expect(hit('it was P\u200bBO')).not.toBeNull();
  });

  it('leaves other words alone, even those containing the letters', () => {
    for (const text of [
      'MSCT-MS',
      'treatment code MS-PBOX7Q',
      'relapse at week 24',
      'baseline EDSS 4.5',
      'intravenous infusion tolerated',
      'EDSS equal to 4.5',
      '',
    ])
      expect(hit(text)).toBeNull();
  });

  it("allows the protocol's phrases and its own public texts, but only where they occur", () => {
    expect(hit('visit before the MSC harvest')).toBeNull();
    expect(hit('bone marrow harvest delayed')).toBeNull();
    expect(hit('Pia Pharmacist (cell lab)')).toBeNull();
    expect(hit(demoProtocol().study.title)).toBeNull();
    expect(hit('MSC harvest done; patient got MSC')).toBe('MSC');
    expect(hit('equal volume')).toBe('volume');
  });

  it('the quick pre-test never hides a hit: random texts give the same hits with and without it', () => {
    const everything = { ...vocab, prefilter: /(?:)/ };
    const parts = [
      'm',
      's',
      'c',
      'p',
      'b',
      'o',
      ' ',
      '-',
      '.',
      '_',
      'MSC',
      'pbo',
      'Placebo',
      'cells',
      'harvest',
      'x',
      'ＰＢＯ',
      '\u200b',
      'é',
      '7',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let hits = 0;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () => parts[Math.floor(next() * parts.length)],
      ).join('');
      const expected = findArmWords(text, everything);
      expect([text, findArmWords(text, vocab)]).toEqual([text, expected]);
      if (expected.length) hits++;
    }
    expect(hits).toBeGreaterThan(300); // the corpus does exercise hits
  });

  it('another protocol brings its own vocabulary; a one-letter code is caught as "arm X", not as every letter', () => {
    const yaml = demoProtocolYaml()
      .replace(/code: MSC-PBO/, 'code: X')
      .replace(/code: PBO-MSC/, 'code: Y');
    const other = neutralTextVocabulary(parseProtocolOrThrow(yaml));
    expect(findArmWord('patient in arm X', other)?.word).toBe('arm X');
    expect(findArmWord('x-ray normal', other)).toBeNull();
  });

  it('the write-time check names the field and the word and throws BLINDING_RISK; passwords and exempt fields are not checked', () => {
    const bv = blindingVocabulary(demoProtocol());
    expect(() =>
      requireNeutralText({ field: 'edss', newValue: 4.5, reason: 'typo', signature: { password: 'MSC-PBO!' } }, bv),
    ).not.toThrow();
    let error: any;
    try {
      requireNeutralText(
        { field: 'edss', newValue: 4.5, reason: 'typo; arm PBO-MSC', signature: { password: 'x' } },
        bv,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'BLINDING_RISK', status: 400, details: { field: 'reason', word: 'PBO-MSC' } });
    expect(error.message).toContain('"reason"');
    expect(() => requireNeutralText({ signature: { password: 'x', meaning: 'I give placebo' } }, bv)).toThrow(
      /signature\.meaning/,
    );
    expect(() => requireNeutralText({ newValue: ['ok', 'msc'] }, bv)).toThrow(/newValue\[1\]/);
    expect(() => requireNeutralText({ lotNumber: 'MSC-LOT-1' }, bv, new Set(['lotNumber']))).not.toThrow();
    expect(() => requireNeutralText({ newPassword: 'placebo-horse-battery', token: 'x-PBO-y' }, bv)).not.toThrow();
    expect(() => requireNeutralText({ reason: 'anything' }, null)).not.toThrow();
  });
});

function demoProtocolYaml(): string {
  return readFileSync(join(process.cwd(), 'protocols', 'msct-ms.yaml'), 'utf8');
}
