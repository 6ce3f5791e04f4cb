import { describe, expect, it } from '@jest/globals';
import { toCsv } from '../../server/src/common/csv.js';

describe('CSV exports [EXP-003]', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas, keeping numbers', () => {
    const csv = toCsv(
      [
        { a: 'plain', b: 'with, comma', c: 'say "hi"' },
        { a: '=HYPERLINK("http://x")', b: '+1+2', c: '@SUM(A1)' },
        { a: '-3.5', b: '-cmd', c: null },
        { a: 'line\nbreak', b: { json: true }, c: 7 },
      ],
      ['a', 'b', 'c'],
    );
    expect(csv.split('\n').slice(0, 4)).toEqual([
      'a,b,c',
      'plain,"with, comma","say ""hi"""',
      `"'=HYPERLINK(""http://x"")",'+1+2,'@SUM(A1)`,
      "-3.5,'-cmd,",
    ]);
    expect(csv).toContain('"line\nbreak","{""json"":true}",7');
  });

  it('guards number-like formulas (OWASP) and keeps plain numbers as numbers', () => {
    const live = [
      "-2+3+cmd|' /C calc'!A0",
      '-1+1',
      '+1-1',
      '-5e3+cmd',
      '\t=1',
      '\r=1',
      '=1',
      '@A1',
      '-',
      '+',
      '-.',
      '1e5+1'.replace(/^/, '-'),
    ];
    const numbers = ['-2.5', '-3', '+4', '-0.5e-3', '.5', '-.5', '1e5', '42', '0'];
    const csv = toCsv(
      [...live, ...numbers].map((v) => ({ v })),
      ['v'],
    );
    const cells = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"'));
    expect(cells.slice(0, live.length).every((c) => c.startsWith("'"))).toBe(true);
    expect(cells.slice(live.length)).toEqual(numbers);
  });
});
