/** The malformed-protocol corpus: each file is rejected with an error naming the field, the line and the problem. */
import { readdirSync, readFileSync } from 'node:fs';
import { formatProtocolError, parseProtocol } from '../../shared/protocol/index.js';
import { repoPath } from './helpers.js';

const dir = repoPath('test/unit/fixtures/bad-protocols');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map(
    (f) =>
      [
        f,
        readFileSync(`${dir}/${f}`, 'utf8'),
        readFileSync(`${dir}/${f.replace(/\.yaml$/, '.expect')}`, 'utf8').trim(),
      ] as const,
  );

describe('malformed protocol corpus [VAL-002]', () => {
  it('has at least 20 files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s is rejected with the expected error', (_file, text, expected) => {
    const result = parseProtocol(text, 'bad.yaml');
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.errors.map(formatProtocolError);
    expect(messages.join('\n')).toContain(expected);
    if (!result.ok) for (const e of result.errors) expect(e.line).not.toBeNull();
  });

  it('the base of the corpus, unbroken, is valid', () => {
    const base = cases
      .find(([f]) => f.includes('missing-study-title'))![1]
      .replace('study:\n', 'study:\n  title: Restored\n');
    expect(parseProtocol(base).ok).toBe(true);
  });
});
