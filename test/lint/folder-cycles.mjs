#!/usr/bin/env node
// `npm run deps`: runs dependency-cruiser (.dependency-cruiser.cjs: no file-level cycle, common/ below
// every feature, shared/ pure) over the server, shared/ and the console, then collapses the graph to
// folders (test/lint/folder-graph.mjs) and fails listing every cycle between folders, with the
// imports that close it. Cycles not yet broken are listed in test/lint/known-cycles.json (file-level
// ones in dependency-cruiser's baseline format, folder-level ones as sets of folders): those are
// reported but pass, anything new or larger fails, so the list can only shrink. `--json FILE` checks
// a saved `depcruise --output-type json` result instead; `--root DIR` cruises another tree (the
// self-test uses a throwaway one); `--update-known` rewrites the list from the tree as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { edgesWithin, folderCycles, folderEdges } from './folder-graph.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const root = opt('--root') ?? repo;

function cruise() {
  const saved = opt('--json');
  if (saved) return JSON.parse(readFileSync(saved, 'utf8'));
  const targets = ['server/src', 'shared', 'console/src'].filter((t) => existsSync(join(root, t)));
  const config = existsSync(join(root, '.dependency-cruiser.cjs'))
    ? join(root, '.dependency-cruiser.cjs')
    : join(repo, '.dependency-cruiser.cjs');
  const bin = join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, '--config', config, '--output-type', 'json', ...targets], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && !r.stdout.trim().startsWith('{')) {
    process.stderr.write(r.stderr || r.stdout);
    process.exit(2);
  }
  return JSON.parse(r.stdout);
}

const knownFile = join(root, 'test', 'lint', 'known-cycles.json');
const known = existsSync(knownFile)
  ? JSON.parse(readFileSync(knownFile, 'utf8'))
  : { violations: [], folderCycles: [] };
const violationKey = (v) => `${v.rule.name} ${v.from} ${v.to} ${(v.cycle ?? []).map((c) => c.name ?? c).join(' ')}`;
const knownViolations = new Set(known.violations.map(violationKey));

const result = cruise();
const errors = (result.summary?.violations ?? []).filter((v) => v.rule.severity === 'error');
const edges = folderEdges(result);
const cycles = folderCycles(edges);

if (args.includes('--update-known')) {
  const next = {
    violations: errors.map(({ rule, from, to, cycle }) => ({
      rule: { name: rule.name },
      from,
      to,
      ...(cycle ? { cycle: cycle.map((c) => c.name ?? c) } : {}),
    })),
    folderCycles: cycles,
  };
  writeFileSync(knownFile, `${JSON.stringify(next, null, 2)}\n`);
  console.log(
    `deps: ${next.violations.length} rule violation(s) and ${cycles.length} folder cycle(s) written to ${knownFile}`,
  );
  process.exit(0);
}

let failed = false;
for (const v of errors) {
  const isKnown = knownViolations.has(violationKey(v));
  if (!isKnown) failed = true;
  const via = v.cycle ? v.cycle.map((c) => c.name ?? c).join(' → ') : v.to;
  console.log(`${isKnown ? '· known' : '✗'} ${v.rule.name}: ${v.from} → ${via}`);
}
// A cycle is known when one listed set of folders contains all of it: breaking part of a known cycle passes, growing one fails.
const isKnownCycle = (comp) => known.folderCycles.some((k) => comp.every((f) => k.includes(f)));
for (const comp of cycles) {
  const isKnown = isKnownCycle(comp);
  if (!isKnown) failed = true;
  console.log(`${isKnown ? '· known' : '✗'} folder cycle: ${comp.join(' ↔ ')}`);
  for (const e of edgesWithin(edges, comp)) console.log(`    ${e.from} → ${e.to}   (${e.via})`);
}
const found = new Set(errors.map(violationKey));
const gone =
  known.folderCycles.filter((k) => !cycles.some((c) => c.every((f) => k.includes(f)))).length +
  [...knownViolations].filter((k) => !found.has(k)).length;
if (gone)
  console.log(
    `deps: ${gone} listed cycle(s) no longer occur: \`npm run deps -- --update-known\` shrinks test/lint/known-cycles.json`,
  );
const folders = new Set(edges.flatMap((e) => [e.from, e.to])).size;
console.log(
  failed
    ? 'deps: FAILED: a new import cycle or rule violation (✗ above): break it (move the shared piece down, or inject it), do not list it'
    : `deps: ${result.summary?.totalCruised ?? '?'} files, ${folders} folders, no new cycle (still listed: ${errors.length} file-level, ${cycles.length} folder-level)`,
);
process.exit(failed ? 1 : 0);
