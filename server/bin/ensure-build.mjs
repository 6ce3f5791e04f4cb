// Builds what is missing (or older than its sources) before the server or the CLI runs, so a
// fresh clone needs only `npm ci && npm start`.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => newestMtime(join(root, s)) > built);
}

/** The entry points that run: the bundle of tsc's output (bundle-server.mjs). */
export const SERVER_ENTRY = join(root, 'dist', 'server', 'bundle', 'main.js');
export const CLI_ENTRY = join(root, 'dist', 'server', 'bundle', 'cli.js');

/**
 * `contractSchemas: false` for the CLI: the schemas only feed the server's /api/docs-json, and even
 * finding them up to date costs a second Node process on every command (0.1–0.4 s on this machine).
 */
export function ensureServerBuild({ contractSchemas = true } = {}) {
  // tsc rewrites its build-info file on every build that changed anything, unlike unchanged outputs.
  const out = join(root, 'dist', '.tsbuildinfo');
  if (!existsSync(join(root, 'dist', 'server', 'src', 'main.js')) || stale(out, ['server/src', 'shared'])) {
    console.error('[blindrand] building the server (tsc)…');
    // A build with type errors refuses to start (tsconfig's noEmitOnError leaves the previous build
    // untouched, and running that one would run code that is not the source): fix the errors first.
    try {
      execSync('npx tsc -p tsconfig.json', { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
    } catch {
      console.error('[blindrand] the server does not type-check (errors above): not starting.');
      process.exit(1);
    }
  }
  // The bundle that runs (bundle-server.mjs), rebuilt when tsc's output is newer.
  if (!existsSync(SERVER_ENTRY) || statSync(out).mtimeMs > statSync(SERVER_ENTRY).mtimeMs) {
    try {
      execSync('node server/bin/bundle-server.mjs', { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
    } catch {
      console.error('[blindrand] the server could not be bundled (errors above): not starting.');
      process.exit(1);
    }
  }
  // The OpenAPI response schemas from shared/contract (returns at once when they are up to date). Without
  // them the server still runs; only /api/docs-json lacks its response schemas.
  if (!contractSchemas) return;
  try {
    execSync('node server/bin/contract-schemas.mjs', { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  } catch {
    console.error(
      '[blindrand] the OpenAPI response schemas could not be generated (above); /api/docs-json will have none.',
    );
  }
}

export function ensureConsoleBuild() {
  const out = join(root, 'console', 'dist', 'index.html');
  if (stale(out, ['console/src', 'shared'])) {
    console.error('[blindrand] building the console (vite)…');
    try {
      execSync('npx vue-tsc --noEmit -p console/tsconfig.json', { cwd: root, stdio: 'inherit' });
      execSync('npx vite build --config console/vite.config.ts --logLevel warn', { cwd: root, stdio: 'inherit' });
    } catch {
      console.error('[blindrand] the console does not type-check or build (errors above): not starting.');
      process.exit(1);
    }
  }
}
