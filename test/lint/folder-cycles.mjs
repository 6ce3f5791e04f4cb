#!/usr/bin/env node
// `npm run deps`: runs dependency-cruiser (.dependency-cruiser.cjs: no file-level cycle, common/ below
// every feature, shared/ pure) over the server, shared/ and the console, then collapses the graph to
// folders (test/lint/folder-graph.mjs) and fails listing every cycle between folders, with the
// imports that close it. `--json FILE` checks a saved `depcruise --output-type json` result instead;
// `--root DIR` cruises another tree (the self-test uses a throwaway one).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

const result = cruise();
const errors = (result.summary?.violations ?? []).filter((v) => v.rule.severity === 'error');
const edges = folderEdges(result);
const cycles = folderCycles(edges);
for (const v of errors) {
  const via = v.cycle ? v.cycle.map((c) => c.name ?? c).join(' → ') : v.to;
  console.log(`✗ ${v.rule.name}: ${v.from} → ${via}`);
}
for (const comp of cycles) {
  console.log(`✗ folder cycle: ${comp.join(' ↔ ')}`);
  for (const e of edgesWithin(edges, comp)) console.log(`    ${e.from} → ${e.to}   (${e.via})`);
}
const failed = errors.length > 0 || cycles.length > 0;
const folders = new Set(edges.flatMap((e) => [e.from, e.to])).size;
console.log(
  failed
    ? `deps: ${errors.length} rule violation(s), ${cycles.length} folder cycle(s): move the shared piece down a layer, or inject it`
    : `deps: ${result.summary?.totalCruised ?? '?'} files, ${folders} folders: no import cycle, common/ and shared/ clean`,
);
process.exit(failed ? 1 : 0);
