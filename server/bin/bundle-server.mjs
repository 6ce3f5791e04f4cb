#!/usr/bin/env node
// Bundles tsc's output (dist/server/src) and the server's dependencies into dist/server/bundle/: the
// server (main.js), the CLI (cli.js) and the simulation worker (simulation.worker.js), which is what
// `npm start`, `npm run cli` and the tests run.
//
// Why: Node 20 has no compile cache, and resolving, reading and compiling the ~2,000 modules of the
// unbundled server costs about 2 s of CPU at every start (profiled: module loading, not our code).
// A server restarted after a crash, every CLI command and every test that starts a real server paid
// it. The bundle is the same code (tsc's JavaScript, unminified, names kept), in a handful of files.
//
// Native addons (better-sqlite3, argon2) and files that a dependency finds on disk at run time
// (swagger-ui-dist's assets) stay in node_modules.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SRC = join(root, 'dist', 'server', 'src');
const BUNDLE_DIR = join(root, 'dist', 'server', 'bundle');

/** Packages loaded from node_modules at run time, never bundled. */
const EXTERNAL = [/^node:/, 'better-sqlite3', 'argon2', 'pg-native', /^swagger-ui-dist(\/|$)/];

/**
 * @nestjs/typeorm looks up two classes that TypeORM 0.3 had and 1.x removed with a guarded
 * `require("typeorm")`; a bundle would keep that as a second, unbundled load of all of TypeORM
 * (0.2 s) only to find `undefined`. On TypeORM 1.x the answer is known at build time.
 */
let legacyLookupReplaced = false;
const legacyTypeormLookup = {
  name: 'blindrand:legacy-typeorm-lookup',
  transform(code, id) {
    const lookup = /const typeorm = require\(['"]typeorm['"]\);/;
    if (!id.includes('@nestjs/typeorm') || !lookup.test(code)) return null;
    legacyLookupReplaced = true;
    return code.replace(lookup, 'const typeorm = {};');
  },
};

async function bundleServer() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const warnings = [];
  const bundle = await rolldown({
    input: {
      main: join(SRC, 'main.js'),
      cli: join(SRC, 'cli', 'run.js'),
      'simulation.worker': join(SRC, 'simulation', 'simulation.worker.js'),
    },
    platform: 'node',
    external: EXTERNAL,
    plugins: [legacyTypeormLookup],
    onLog(level, log) {
      // Optional packages that a dependency probes for (Nest's fastify adapter, TypeORM's other
      // drivers) are left as run-time look-ups that fail as they would unbundled.
      if (log.code === 'UNRESOLVED_IMPORT' || log.code === 'EVAL' || log.code === 'CIRCULAR_DEPENDENCY') return;
      warnings.push(`${level}: ${log.message}`);
    },
  });
  await bundle.write({
    dir: BUNDLE_DIR,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    keepNames: true, // class and function names as in the source (Nest, logs and error messages read them)
    sourcemap: false,
  });
  await bundle.close();
  // Not an error (the bundle still works), but the second load of TypeORM is back: say so.
  if (!legacyLookupReplaced)
    warnings.push('warn: @nestjs/typeorm no longer has the legacy `require("typeorm")` look-up');
  return warnings;
}

const started = Date.now();
const warnings = await bundleServer();
for (const w of warnings) console.error(`[bundle] ${w}`);
console.error(`[bundle] dist/server/bundle written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
