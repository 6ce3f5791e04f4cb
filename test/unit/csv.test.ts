import { describe, expect, it } from '@jest/globals';
import { toCsv } from '../../server/src/common/csv.js';

describe('CSV exports', () => {
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
    expect(csv.split('\n').slice(0, 4)).toEqual(['a,b,c', 'plain,"with, comma","say ""hi"""', `"'=HYPERLINK(""http://x"")",'+1+2,'@SUM(A1)`, "-3.5,'-cmd,"]);
    expect(csv).toContain('"line\nbreak","{""json"":true}",7');
  });
});
