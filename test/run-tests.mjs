#!/usr/bin/env node
// `npm test`: sets up what the tests need (Debian's postgresql and chromium, installed with apt-get
// when missing and running as root), builds, then runs the unit tests, the API tests on SQLite and
// again on a throwaway PostgreSQL cluster, the reliability tests and the browser tests; each tier
// leaves its results in test-results/<tier>.json, which `npm run trace` checks last against the
// requirements (requirements/*.yaml). Exits non-zero on any failure.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBin, startPostgres } from './support/postgres-cluster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function ensureSystemPackages() {
  const missing = [];
  if (!findPostgresBin()) missing.push('postgresql');
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  // The WAL fault-injection test compiles a small LD_PRELOAD library.
  if (!existsSync('/usr/bin/gcc')) missing.push('gcc', 'libc6-dev');
  if (!missing.length) return;
  if (!isRoot) {
    console.error(
      `blindrand tests need Debian packages: ${missing.join(' ')} (run: sudo apt-get install -y ${missing.join(' ')})`,
    );
    process.exit(1);
  }
  console.log(`[test] installing ${missing.join(', ')} with apt-get…`);
  execSync('apt-get update -qq', { stdio: 'inherit' });
  execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, {
    stdio: 'inherit',
  });
  // Debian starts a system cluster on install; the tests use their own, so stop it.
  spawnSync(
    'sh',
    [
      '-c',
      'command -v pg_ctlcluster >/dev/null && for c in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect $c main stop 2>/dev/null; done',
    ],
    { stdio: 'ignore' },
  );
}

function run(label, cmd, args, env = {}) {
  console.log(`\n[test] ── ${label} ──`);
  const started = Date.now();
  // A stage that hangs fails on its own instead of running into CI's time limit.
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    timeout: STAGE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.error) console.log(`[test] ${label}: ${r.error.message}`);
  console.log(
    `[test] ${label}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s${counts(args)}`,
  );
  return r.status === 0;
}

/** ", N tests (P passed, F failed) in K files" from a jest stage's --outputFile, so each tier's count is printed beside its time. */
function counts(args) {
  const file = args.find((a) => String(a).startsWith('--outputFile='))?.slice('--outputFile='.length);
  if (!file || !existsSync(file)) return '';
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return `, ${r.numTotalTests} tests (${r.numPassedTests} passed, ${r.numFailedTests} failed) in ${r.testResults.length} files`;
  } catch {
    return '';
  }
}

const STAGE_TIMEOUT_MS = 30 * 60 * 1000;
// --forceExit: keep-alive sockets of finished tests must not hold the run open.
// --json --outputFile: the tier's results for the traceability matrix (test-results/<tier>.json).
const jest = (project, tier = project) => [
  '--experimental-vm-modules',
  join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
  '--selectProjects',
  project,
  '--ci',
  '--forceExit',
  '--json',
  `--outputFile=${join(root, 'test-results', `${tier}.json`)}`,
];

/** A tier with no tests yet is reported as such, never as passed. */
function hasTests(project) {
  const dir = join(root, 'dist', 'test', project);
  const found =
    existsSync(dir) &&
    spawnSync('sh', ['-c', `find "${dir}" -name '*.test.js' | head -1`], { encoding: 'utf8' }).stdout.trim() !== '';
  if (!found) console.log(`[test] ${project}: no tests found`);
  return found;
}

ensureSystemPackages();
const results = [];
results.push([
  'build',
  run('build', 'npx', ['tsc', '-p', 'tsconfig.json']) &&
    run('contract schemas', 'node', ['server/bin/contract-schemas.mjs']) &&
    (!existsSync(join(root, 'console', 'vite.config.ts')) ||
      run('console build', 'sh', [
        '-c',
        'npx vue-tsc --noEmit -p console/tsconfig.json && npx vite build --config console/vite.config.ts --logLevel warn',
      ])),
]);
// Lint: eslint, prettier --check, knip (unused exports and types), the import-cycle check.
results.push(['lint', run('lint', 'npm', ['run', '--silent', 'lint'])]);
if (!results[0][1]) process.exit(1);
// Results of an earlier run must not pass for this one's (a tier that does not run reads "not run").
rmSync(join(root, 'test-results'), { recursive: true, force: true });
mkdirSync(join(root, 'test-results'));

// Unit files are CPU-bound and share nothing: two workers on two cores (jest's default would be one).
if (hasTests('unit')) results.push(['unit', run('unit tests', 'node', [...jest('unit'), '--maxWorkers=2'])]);
if (hasTests('api'))
  results.push(['api (SQLite)', run('API tests on SQLite', 'node', jest('api', 'api-sqlite'), { DB: 'sqlite' })]);
const pg = await startPostgres();
try {
  if (hasTests('api'))
    results.push([
      'api (PostgreSQL)',
      run('API tests on PostgreSQL', 'node', jest('api', 'api-postgres'), { DB: 'postgres', PG_ADMIN_URL: pg.url }),
    ]);
  if (hasTests('reliability'))
    results.push([
      'reliability',
      run('reliability tests', 'node', [...jest('reliability'), '--runInBand'], { PG_ADMIN_URL: pg.url }),
    ]);
} finally {
  pg.stop();
}
if (hasTests('browser')) results.push(['browser', run('browser tests', 'node', [...jest('browser'), '--runInBand'])]);
// Every requirement has a test, every tag a requirement, and no linked test failed above.
results.push(['traceability', run('traceability matrix', 'node', [join(root, 'dist', 'test', 'trace', 'cli.js')])]);

console.log('\n[test] summary');
for (const [name, ok] of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
