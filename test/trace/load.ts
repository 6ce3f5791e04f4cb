/** Reads what `npm run trace` checks: requirements/*.yaml, the test sources, test-results/*.json. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { parseJestResults, scanSource, TIERS } from './trace.js';
import type { Requirement, TaggedTitle, TierResults } from './trace.js';

/** Every requirement of every requirements/*.yaml file (`requirements: [{id, text, source, risk, rationale}]`). */
export function loadRequirements(root: string): {
  requirements: Requirement[];
  themes: { file: string; title: string }[];
} {
  const dir = join(root, 'requirements');
  const requirements: Requirement[] = [];
  const themes: { file: string; title: string }[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const file = `requirements/${name}`;
    const doc = parse(readFileSync(join(dir, name), 'utf8')) as {
      title?: string;
      requirements?: Record<string, unknown>[];
    };
    themes.push({ file, title: doc?.title ?? name });
    for (const r of doc?.requirements ?? []) {
      requirements.push({
        id: String(r.id ?? ''),
        text: String(r.text ?? ''),
        source: String(r.source ?? ''),
        risk: String(r.risk ?? '') as Requirement['risk'],
        rationale: String(r.rationale ?? ''),
        file,
      });
    }
  }
  return { requirements, themes };
}

function testSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testSources(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const toPosix = (p: string) => p.split(sep).join('/');

/** Tagged titles in every test/**\/*.test.ts source. */
export function loadTitles(root: string): TaggedTitle[] {
  return testSources(join(root, 'test'))
    .sort()
    .flatMap((abs) => scanSource(toPosix(relative(root, abs)), readFileSync(abs, 'utf8')));
}

/** The last results each tier left (a missing file means that tier has not run here). */
export function loadResults(root: string): TierResults[] {
  // jest names the compiled file (dist/test/api/x.test.js); the link is to its source.
  const toRepoPath = (abs: string) => toPosix(relative(join(root, 'dist'), abs)).replace(/\.js$/, '.ts');
  const tiers: TierResults[] = [];
  for (const { tier } of TIERS) {
    const file = join(root, 'test-results', `${tier}.json`);
    if (!existsSync(file)) continue;
    try {
      tiers.push(parseJestResults(tier, JSON.parse(readFileSync(file, 'utf8')), toRepoPath));
    } catch (err) {
      throw new Error(`test-results/${tier}.json cannot be read (${(err as Error).message}); run that tier again`, {
        cause: err,
      });
    }
  }
  return tiers;
}
