/** The traceability checker (`npm run trace`) fails on what an inspector would find missing. */
import { loadRequirements, loadTitles } from '../trace/load.js';
import { parseJestResults, scanSource, tagsOf, trace } from '../trace/trace.js';
import type { Requirement } from '../trace/trace.js';
import { repoPath } from './helpers.js';

const req = (id: string, extra: Partial<Requirement> = {}): Requirement => ({
  id,
  text: `requirement ${id}`,
  source: 'DOMAIN.md',
  risk: 'high',
  rationale: 'wrong arm given',
  file: 'requirements/x.yaml',
  ...extra,
});

const SOURCE = [
  "describe('randomization [RAND-001]', () => {",
  "  it('gives one number', () => {});",
  "  it('refuses a second randomization [RAND-002, AUDIT-001]', () => {});",
  "  it.each([1, 2])('case %s [RAND-002]', () => {});",
  "  it('another site\\'s record [RAND-003]', () => {});",
  "  it(`on ${usingPostgres ? 'PostgreSQL' : 'SQLite'} [RAND-003]`, () => {});",
  "  it('has no tag', () => {});",
  '});',
  'describe.each([',
  "  ['a', 1],",
  "])('table %s [RAND-001]', () => {});",
].join('\n');

function jestJson(assertions: [string, string][], suiteStatus = 'passed') {
  return {
    startTime: 1,
    testResults: [
      {
        name: '/repo/dist/test/api/x.test.js',
        status: suiteStatus,
        assertionResults: assertions.map(([fullName, status]) => ({ fullName, status })),
      },
    ],
  };
}
const toRepo = (abs: string) => abs.replace('/repo/dist/', '').replace(/\.js$/, '.ts');

describe('the traceability checker [VAL-001]', () => {
  it('reads tags from describe and test titles, after .each and with escaped quotes or template literals', () => {
    const titles = scanSource('test/api/x.test.ts', SOURCE);
    expect(titles.map((t) => [t.line, t.kind, t.tags])).toEqual([
      [1, 'describe', ['RAND-001']],
      [3, 'test', ['RAND-002', 'AUDIT-001']],
      [4, 'test', ['RAND-002']],
      [5, 'test', ['RAND-003']],
      [6, 'test', ['RAND-003']],
      [11, 'describe', ['RAND-001']],
    ]);
    expect(tagsOf('no tag [see QUALITY 9] or [rand-001]')).toEqual([]);
  });

  it('reads a title laid out the way a formatter writes long calls (its own line, after a multi-line table)', () => {
    const formatted = [
      'test.each([',
      "  ['desktop', false],",
      "  ['phone', true],",
      '] as const)(',
      '  "[EMERG-016] two-person (%s): the patient\'s page counts approvals",',
      '  async (_label, phone) => {},',
      ');',
      'it(',
      "  'a long title [RAND-001]',",
      '  async () => {},',
      ');',
    ].join('\n');
    expect(scanSource('test/browser/x.test.ts', formatted).map((t) => [t.line, t.kind, t.tags, t.title])).toEqual([
      [5, 'test', ['EMERG-016'], "[EMERG-016] two-person (%s): the patient's page counts approvals"],
      [9, 'test', ['RAND-001'], 'a long title [RAND-001]'],
    ]);
  });

  it('passes when every requirement has a passing test and every tag is known', () => {
    const titles = scanSource('test/api/x.test.ts', SOURCE);
    const results = parseJestResults(
      'api-sqlite',
      jestJson([
        ['randomization [RAND-001] gives one number', 'passed'],
        ['randomization [RAND-001] refuses a second randomization [RAND-002, AUDIT-001]', 'passed'],
      ]),
      toRepo,
    );
    const report = trace(
      ['RAND-001', 'RAND-002', 'RAND-003', 'AUDIT-001'].map((id) => req(id)),
      titles,
      [results],
    );
    expect(report.problems).toEqual([]);
    expect(report.rows.find((r) => r.requirement.id === 'RAND-002')!.results.get('api-sqlite')).toBe('passed');
    expect(report.rows.find((r) => r.requirement.id === 'RAND-003')!.results.size).toBe(0);
    expect(report.warnings).toEqual(['not run in the last results: 1 requirement(s) (RAND-003)']);
  });

  it('fails on a requirement with no test', () => {
    const report = trace(
      [req('RAND-001'), req('RAND-002'), req('RAND-003'), req('AUDIT-001'), req('LOCK-009')],
      scanSource('test/api/x.test.ts', SOURCE),
      [],
    );
    expect(report.problems).toEqual(['LOCK-009: no test carries [LOCK-009] (requirements/x.yaml)']);
  });

  it('fails on a tag that names an unknown requirement', () => {
    const report = trace(
      [req('RAND-001'), req('RAND-002'), req('RAND-003')],
      scanSource('test/api/x.test.ts', SOURCE),
      [],
    );
    expect(report.problems).toEqual([
      'test/api/x.test.ts:3: tag [AUDIT-001] names no requirement ("refuses a second randomization [RAND-002, AUDIT-001]")',
    ]);
  });

  it('fails on a linked test that failed, or whose file failed to run, in the last results', () => {
    const titles = scanSource('test/api/x.test.ts', SOURCE);
    const reqs = ['RAND-001', 'RAND-002', 'RAND-003', 'AUDIT-001'].map((id) => req(id));
    const failed = parseJestResults(
      'api-postgres',
      jestJson([['randomization [RAND-001] refuses a second randomization [RAND-002, AUDIT-001]', 'failed']]),
      toRepo,
    );
    expect(trace(reqs, titles, [failed]).problems).toEqual([
      'RAND-001: a linked test failed in the last API PostgreSQL run',
      'RAND-002: a linked test failed in the last API PostgreSQL run',
      'AUDIT-001: a linked test failed in the last API PostgreSQL run',
    ]);
    const broken = parseJestResults('api-sqlite', jestJson([], 'failed'), toRepo);
    expect(trace(reqs, titles, [broken]).problems).toHaveLength(4);
  });

  it('fails on a malformed or duplicated requirement', () => {
    const report = trace(
      [
        req('RAND-001'),
        req('RAND-001', { file: 'requirements/y.yaml' }),
        req('rand-2', { risk: 'severe' as never, rationale: '' }),
      ],
      [],
      [],
    );
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'requirements/y.yaml: RAND-001: id already used in requirements/x.yaml',
        'requirements/x.yaml: rand-2: id must look like RAND-001',
        'requirements/x.yaml: rand-2: risk must be high, medium or low',
        'requirements/x.yaml: rand-2: the risk needs a one-line rationale',
      ]),
    );
  });

  it('the repository itself: every requirement has a test and every tag names a requirement', () => {
    const { requirements } = loadRequirements(repoPath('.'));
    expect(requirements.length).toBeGreaterThanOrEqual(40);
    expect(trace(requirements, loadTitles(repoPath('.')), []).problems).toEqual([]);
  });
});
