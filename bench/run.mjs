#!/usr/bin/env node
// `npm run bench [-- name …]`: builds, then runs every bench/*.bench.ts (compiled to dist/bench) in
// turn; each prints its own figures. Benchmarks measure, they never pass or fail.
import { execSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: 'inherit' });
const only = process.argv.slice(2);
const benches = readdirSync(join(root, 'dist', 'bench')).filter(
  (f) => f.endsWith('.bench.js') && (only.length === 0 || only.some((o) => f.includes(o))),
);
for (const file of benches.sort()) {
  console.log(`\n=== ${file.replace('.bench.js', '')} ===`);
  spawnSync('node', [join(root, 'dist', 'bench', file)], { cwd: root, stdio: 'inherit' });
}
