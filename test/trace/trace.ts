/**
 * The traceability check behind `npm run trace`: requirements (requirements/*.yaml) → the tests
 * whose titles carry their ids in brackets (`it('… [RAND-003]', …)`, or the describe title) → the
 * last result each tier of `npm test` left in test-results/<tier>.json (jest --json).
 *
 * Pure functions here (the unit test feeds them synthetic inputs); files are read in load.ts.
 */
import ts from 'typescript';

type RiskLevel = 'high' | 'medium' | 'low';

export interface Requirement {
  id: string;
  text: string;
  source: string;
  risk: RiskLevel;
  rationale: string;
  /** The requirements file it comes from (its theme). */
  file: string;
}

/** A describe/it/test title in a test source that carries at least one tag. */
export interface TaggedTitle {
  file: string; // repository path of the .test.ts source
  line: number;
  title: string;
  kind: 'describe' | 'test';
  tags: string[];
}

type Outcome = 'passed' | 'failed' | 'not run';

/** One assertion of one tier's last jest --json run. */
interface TestOutcome {
  tier: string;
  file: string; // repository path of the .test.ts source
  fullName: string;
  status: Outcome;
}

/** The jest results of one tier: when it ran, and every assertion (or a suite that failed to run). */
export interface TierResults {
  tier: string;
  startTime?: number;
  outcomes: TestOutcome[];
  /** Sources whose suite failed before or outside its tests (syntax error, failing beforeAll…). */
  brokenFiles: string[];
}

export interface Row {
  requirement: Requirement;
  titles: TaggedTitle[];
  /** Per tier that ran a linked test: passed only if every linked assertion there passed. */
  results: Map<string, Outcome>;
}

export interface TraceReport {
  rows: Row[];
  problems: string[];
  warnings: string[];
}

/** Tiers of `npm test` and the test folders each runs; the API folder runs on both dialects. */
export const TIERS: { tier: string; label: string; folder: string }[] = [
  { tier: 'unit', label: 'unit', folder: 'unit' },
  { tier: 'api-sqlite', label: 'API SQLite', folder: 'api' },
  { tier: 'api-postgres', label: 'API PostgreSQL', folder: 'api' },
  { tier: 'reliability', label: 'reliability', folder: 'reliability' },
  { tier: 'browser', label: 'browser', folder: 'browser' },
];

const ID_PATTERN = /^[A-Z][A-Z0-9]*-\d{3}$/;
const TAG_GROUP = /\[([A-Z][A-Z0-9]*-\d{3}(?:\s*,\s*[A-Z][A-Z0-9]*-\d{3})*)\]/g;

/** The requirement ids tagged in a title: `[RAND-001]` or `[RAND-001, AUDIT-002]`. */
export function tagsOf(title: string): string[] {
  const ids: string[] = [];
  for (const m of title.matchAll(TAG_GROUP)) ids.push(...m[1].split(',').map((s) => s.trim()));
  return ids;
}

const TEST_FUNCTIONS = new Set(['describe', 'it', 'test']);

/** 'describe' | 'it' | 'test' when the callee is one of them, possibly .only/.skip/.concurrent or .each(table). */
function testFunctionOf(callee: ts.Expression): string | null {
  if (ts.isIdentifier(callee)) return TEST_FUNCTIONS.has(callee.text) ? callee.text : null;
  if (ts.isPropertyAccessExpression(callee) && ['only', 'skip', 'concurrent'].includes(callee.name.text)) {
    return testFunctionOf(callee.expression);
  }
  if (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    callee.expression.name.text === 'each'
  ) {
    return testFunctionOf(callee.expression.expression);
  }
  return null;
}

/** The title as jest shows it: a string's value; a template with substitutions as written. */
function titleOf(arg: ts.Expression | undefined, file: ts.SourceFile): string | null {
  if (!arg) return null;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isTemplateExpression(arg)) return arg.getText(file).slice(1, -1);
  return null;
}

/**
 * Tagged titles of one test source. The source is parsed (TypeScript's parser, no type check), so a title
 * is found however the call is laid out: on one line, after a multi-line .each table, or on its own line
 * as a formatter writes long calls. `line` is the line of the title itself.
 */
export function scanSource(file: string, source: string): TaggedTitle[] {
  const found: TaggedTitle[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const fn = testFunctionOf(node.expression);
      const title = fn ? titleOf(node.arguments[0], sf) : null;
      const tags = title ? tagsOf(title) : [];
      if (fn && title && tags.length) {
        const line = sf.getLineAndCharacterOfPosition(node.arguments[0].getStart(sf)).line + 1;
        found.push({ file, line, title, kind: fn === 'describe' ? 'describe' : 'test', tags });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.sort((a, b) => a.line - b.line);
}

/** Checks that the requirements are well formed; returns one sentence per problem. */
function checkRequirements(reqs: Requirement[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const r of reqs) {
    const where = `${r.file}: ${r.id || '(no id)'}`;
    if (!r.id || !ID_PATTERN.test(r.id)) problems.push(`${where}: id must look like RAND-001`);
    if (seen.has(r.id)) problems.push(`${where}: id already used in ${seen.get(r.id)}`);
    seen.set(r.id, r.file);
    if (!r.text?.trim()) problems.push(`${where}: text is missing`);
    if (!r.source?.trim()) problems.push(`${where}: source is missing`);
    if (!['high', 'medium', 'low'].includes(r.risk)) problems.push(`${where}: risk must be high, medium or low`);
    if (!r.rationale?.trim()) problems.push(`${where}: the risk needs a one-line rationale`);
  }
  return problems;
}

/**
 * Builds the matrix and its problems: a requirement without a test, a tag naming an unknown
 * requirement, a linked test that failed (or whose file failed to run) in the last results.
 * A linked test not run in any tier is a warning: a developer may have run one tier only.
 */
export function trace(reqs: Requirement[], titles: TaggedTitle[], tiers: TierResults[]): TraceReport {
  const problems = checkRequirements(reqs);
  const warnings: string[] = [];
  const known = new Set(reqs.map((r) => r.id));
  for (const t of titles) {
    for (const tag of t.tags) {
      if (!known.has(tag)) problems.push(`${t.file}:${t.line}: tag [${tag}] names no requirement ("${t.title}")`);
    }
  }
  const rows: Row[] = reqs.map((requirement) => {
    const linked = titles.filter((t) => t.tags.includes(requirement.id));
    const results = new Map<string, Outcome>();
    const linkedFiles = new Set(linked.map((t) => t.file));
    for (const tier of tiers) {
      let outcome: Outcome | undefined;
      for (const o of tier.outcomes) {
        if (!tagsOf(o.fullName).includes(requirement.id) || o.status === 'not run') continue;
        outcome = o.status === 'failed' || outcome === 'failed' ? 'failed' : 'passed';
      }
      if (tier.brokenFiles.some((f) => linkedFiles.has(f))) outcome = 'failed';
      if (outcome) results.set(tier.tier, outcome);
    }
    if (!linked.length) problems.push(`${requirement.id}: no test carries [${requirement.id}] (${requirement.file})`);
    for (const [tier, outcome] of results) {
      if (outcome === 'failed')
        problems.push(`${requirement.id}: a linked test failed in the last ${labelOf(tier)} run`);
    }
    return { requirement, titles: linked, results };
  });
  const notRun = rows.filter((r) => r.titles.length && !r.results.size).map((r) => r.requirement.id);
  if (notRun.length)
    warnings.push(`not run in the last results: ${notRun.length} requirement(s) (${notRun.join(', ')})`);
  return { rows, problems, warnings };
}

export function labelOf(tier: string): string {
  return TIERS.find((t) => t.tier === tier)?.label ?? tier;
}

/** The tiers that run a test file, from its folder (test/api runs on SQLite and PostgreSQL). */
function tiersOfFile(file: string): string[] {
  const folder = file.split('/')[1];
  return TIERS.filter((t) => t.folder === folder).map((t) => t.tier);
}

/** "API SQLite: passed · API PostgreSQL: not run" for the tiers that run a requirement's tests. */
export function resultText(row: Row): string {
  const tiers = [...new Set(row.titles.flatMap((t) => tiersOfFile(t.file)))];
  const order = TIERS.map((t) => t.tier);
  tiers.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return tiers.map((tier) => `${labelOf(tier)}: ${row.results.get(tier) ?? 'not run'}`).join(' · ');
}

/** Parses one tier's jest --json output; `toRepoPath` maps dist/test/x/y.test.js to test/x/y.test.ts. */
export function parseJestResults(tier: string, json: unknown, toRepoPath: (abs: string) => string): TierResults {
  const data = json as {
    startTime?: number;
    testResults?: {
      name: string;
      status?: string;
      failureMessage?: string | null;
      assertionResults?: { fullName: string; status: string }[];
    }[];
  };
  const outcomes: TestOutcome[] = [];
  const brokenFiles: string[] = [];
  for (const suite of data.testResults ?? []) {
    const file = toRepoPath(suite.name);
    const assertions = suite.assertionResults ?? [];
    if (suite.status === 'failed' && !assertions.some((a) => a.status === 'failed')) brokenFiles.push(file);
    for (const a of assertions) {
      const status: Outcome = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'not run';
      outcomes.push({ tier, file, fullName: a.fullName, status });
    }
  }
  return { tier, startTime: data.startTime, outcomes, brokenFiles };
}
