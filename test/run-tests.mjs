#!/usr/bin/env node
// `npm test`: sets up what the tests need (Debian's postgresql and chromium, installed with apt-get
// when missing and running as root), builds, then runs the unit tests, the API tests on SQLite and
// again on a throwaway PostgreSQL cluster, the reliability tests and the browser tests; each tier
// leaves its results in test-results/<tier>.json, which `npm run trace` checks last against the
// requirements (requirements/*.yaml). Exits non-zero on any failure.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Runs one stage. Stages run side by side where they share nothing (the build's three parts, the unit tests
 * beside the end of the console build and lint, the browser tier beside two lanes of the others; see below): on two cores
 * each stage alone leaves one core waiting on the other's I/O and child processes (issue 14). A stage's
 * output is kept and printed whole when it ends, so two stages' reports do not interleave.
 */
function run(label, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`[test] ${label}: started`);
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  // A stage that hangs fails on its own instead of running into CI's time limit.
  const timer = setTimeout(() => {
    output.push(Buffer.from(`[test] ${label}: no end after ${STAGE_TIMEOUT_MS / 60000} min, killed\n`));
    child.kill('SIGKILL');
  }, STAGE_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('error', (err) => output.push(Buffer.from(`[test] ${label}: ${err.message}\n`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`\n[test] ── ${label} ──\n`);
      process.stdout.write(Buffer.concat(output));
      const line = `${label}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s${counts(args)}`;
      console.log(`[test] ${line}`);
      timings.push(line);
      resolve(code === 0);
    });
  });
}

/** Each stage's line (time, test counts), repeated in the summary. */
const timings = [];

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
const runStarted = Date.now();
const results = [];
// Results of an earlier run must not pass for this one's (a tier that does not run reads "not run").
rmSync(join(root, 'test-results'), { recursive: true, force: true });
mkdirSync(join(root, 'test-results'));
// The server (tsc, then the contract schemas it reads and the bundle that the servers and the CLI run, side by side)
// beside the console build and lint, which read only sources.
const serverBuilding = run('build', 'npx', ['tsc', '-p', 'tsconfig.json']).then(
  async (ok) =>
    ok &&
    (
      await Promise.all([
        run('contract schemas', 'node', ['server/bin/contract-schemas.mjs']),
        run('bundle', 'node', ['server/bin/bundle-server.mjs']),
      ])
    ).every(Boolean),
);
const consoleBuilding =
  !existsSync(join(root, 'console', 'vite.config.ts')) ||
  run('console build', 'sh', [
    '-c',
    'npx vue-tsc --noEmit -p console/tsconfig.json && npx vite build --config console/vite.config.ts --logLevel warn',
  ]);
// Lint: eslint, prettier --check, knip (unused exports and types), the import-cycle check.
const linting = run('lint', 'npm', ['run', '--silent', 'lint']);
// The throwaway cluster starts while the build runs (after the stages are spawned: initdb blocks this process).
const pgStarting = startPostgres();
pgStarting.catch(() => undefined);
const serverBuilt = await serverBuilding;
if (!serverBuilt) {
  await Promise.all([consoleBuilding, linting]);
  (await pgStarting.catch(() => null))?.stop();
  process.exit(1);
}

/**
 * The reliability files in two parts of about two thirds and one third of the tier's time (the first lane free takes
 * the first part): files in order of their time in a CI run (seconds, load 6), each to the part furthest below its
 * share. A file not listed counts 10 s; a part is a list of paths for jest, so no file is left out or run twice.
 */
const RELIABILITY_SECONDS = {
  'startup-faults': 70,
  crash: 41,
  'bad-input': 32,
  'scale-out': 17,
  'postgres-outage': 17,
  'verify-under-load': 14,
  'multi-instance-state': 13,
  'lock-contention': 12,
  'storage-full': 9,
  'wal-io-error': 9,
  'second-factor-key': 7,
  tamper: 2,
  'backup-restore': 2,
  'blinding-sizes': 1,
  'server-start': 2,
};
function reliabilityParts() {
  if (!hasTests('reliability')) return [];
  const dir = join(root, 'dist', 'test', 'reliability');
  const seconds = (f) => RELIABILITY_SECONDS[f.replace(/\.test\.js$/, '')] ?? 10;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
  const shares = [2 / 3, 1 / 3];
  const parts = shares.map(() => ({ files: [], seconds: 0 }));
  for (const f of files) {
    const part = parts.reduce((best, p, i) =>
      p.seconds / shares[i] < best.seconds / shares[parts.indexOf(best)] ? p : best,
    );
    part.files.push(join(dir, f));
    part.seconds += seconds(f);
  }
  return parts.filter((p) => p.files.length).map((p) => p.files);
}

/** One test-results/reliability.json from the parts' files, for the traceability matrix (a missing part: not run). */
function mergeReliabilityResults() {
  const parts = readdirSync(join(root, 'test-results'))
    .filter((f) => /^reliability-\d+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(root, 'test-results', f), 'utf8')));
  if (!parts.length) return;
  const sum = (key) => parts.reduce((n, p) => n + p[key], 0);
  const merged = {
    ...parts[0],
    success: parts.every((p) => p.success),
    numTotalTests: sum('numTotalTests'),
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTotalTestSuites: sum('numTotalTestSuites'),
    numPassedTestSuites: sum('numPassedTestSuites'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    testResults: parts.flatMap((p) => p.testResults),
  };
  writeFileSync(join(root, 'test-results', 'reliability.json'), JSON.stringify(merged));
}

// The browser tier is the longest single chain (one Chromium, one file at a time, close to a core for most of the
// run): it starts as soon as the console is built, and every other tier shares the machine beside it. Left to the
// end it set the run's length alone.
const browserTier = Promise.resolve(consoleBuilding).then((consoleBuilt) => {
  if (!hasTests('browser')) return [];
  if (!consoleBuilt) return [['browser', false]];
  return run('browser tests', 'node', [...jest('browser'), '--runInBand']).then((ok) => [['browser', ok]]);
});
// Unit files need only the server's build: they run while the console builds and lint ends (the end of the build
// phase leaves a core idle). CPU-bound and sharing nothing: two workers (jest's default on two cores would be one).
const unitOk = !hasTests('unit') || (await run('unit tests', 'node', [...jest('unit'), '--maxWorkers=2']));
const pg = await pgStarting;
try {
  // Beside the browser tier, two lanes, one tier each at a time (each tier runs one file at a time): the API tier on
  // SQLite in one and on PostgreSQL in the other. The reliability tier comes after, in two parts: whichever lane (the
  // browser's included) is free first takes the larger part, the next one the smaller. Run whole in one lane, it
  // ran alone for the last 150 s of the run with a core idle.
  const later = reliabilityParts().map(
    (files, i, parts) => () =>
      run(
        `reliability tests (${i + 1} of ${parts.length})`,
        'node',
        [...jest('reliability', `reliability-${i + 1}`), '--runInBand', ...files],
        { PG_ADMIN_URL: pg.url },
      ).then((ok) => [`reliability (${i + 1} of ${parts.length})`, ok]),
  );
  const lane = async (first) => {
    const done = first ? [...(await first())] : [];
    for (let next; (next = later.shift());) done.push(await next());
    return done;
  };
  const api = hasTests('api');
  const lanes = await Promise.all([
    lane(
      api &&
        (() =>
          run('API tests on SQLite', 'node', jest('api', 'api-sqlite'), { DB: 'sqlite' }).then((ok) => [
            ['api (SQLite)', ok],
          ])),
    ),
    lane(
      api &&
        (() =>
          run('API tests on PostgreSQL', 'node', jest('api', 'api-postgres'), {
            DB: 'postgres',
            PG_ADMIN_URL: pg.url,
          }).then((ok) => [['api (PostgreSQL)', ok]])),
    ),
    lane(() => browserTier),
  ]);
  mergeReliabilityResults();
  // Lint and the console build ended long before; they are awaited only here so that no tier waits for them.
  results.push(['build', serverBuilt && (await consoleBuilding)], ['lint', await linting], ['unit', unitOk]);
  results.push(...lanes.flat());
} finally {
  pg.stop();
}
// Every requirement has a test, every tag a requirement, and no linked test failed above.
results.push([
  'traceability',
  await run('traceability matrix', 'node', [join(root, 'dist', 'test', 'trace', 'cli.js')]),
]);

console.log('\n[test] summary');
for (const line of timings) console.log(`  ${line}`);
for (const [name, ok] of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
console.log(`  npm test: ${((Date.now() - runStarted) / 1000).toFixed(0)} s in all`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
