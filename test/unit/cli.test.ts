/**
 * The engine's CLI commands, checking output and exit codes. They run in this process through
 * runCli (the same code as the binary, without a node start-up per command); one smoke test spawns
 * the real binary to show that the entry works.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main.js';
import { repoPath } from './helpers.js';

/** Runs one command in this process; relative paths are the repository's (jest runs from the root). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('the binary', () => {
  it('server/bin/cli.mjs runs in its own process: --version prints the package version, exit 0', async () => {
    // stderr may carry the binary's own build steps (ensure-build.mjs brings dist up to date first).
    const r = spawnSync(process.execPath, [repoPath('server/bin/cli.mjs'), '--version'], {
      encoding: 'utf8',
      cwd: repoPath('.'),
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(
      (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version,
    );
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'blindrand-cli-'));

describe('protocol validate', () => {
  it('accepts the demo protocols [VAL-002]', async () => {
    const r = await cli('protocol', 'validate', 'protocols/msct-ms.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid — study MSCT-MS, crossover design, 2 period(s)');
    expect((await cli('protocol', 'validate', 'protocols/parallel-2to1.yaml')).code).toBe(0);
  });

  it('names the file, line, path and problem, and exits 2 [VAL-002]', async () => {
    const r = await cli('protocol', 'validate', 'test/unit/fixtures/bad-protocols/03-ratio-not-number.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('03-ratio-not-number.yaml:arms[1].ratio (line 18): expected a whole number, got "two"');
  });

  it('has --help', async () => {
    const r = await cli('protocol', 'validate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: blindrand protocol validate');
    expect(r.stdout).toContain('--study <code>');
  });
});

describe('--study on the commands that read a protocol file', () => {
  it("the file's own study code passes; another is refused in one line naming both, exit 2 [UPG-006]", async () => {
    expect((await cli('protocol', 'validate', 'protocols/msct-ms.yaml', '--study', 'MSCT-MS')).code).toBe(0);
    const wrong = await cli('protocol', 'validate', 'protocols/msct-ms.yaml', '--study', 'OTHER-1');
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      'error: protocols/msct-ms.yaml is the protocol of study MSCT-MS, not OTHER-1\n',
    ]);
    const args = ['--protocol', 'protocols/msct-ms.yaml', '--seed', 'study-seed', '--method', 'permuted-block'];
    const right = await cli('list', 'generate', ...args, '--block-sizes', '2,4', '--json', '--study', 'MSCT-MS');
    expect(right.code).toBe(0);
    const refused = await cli('list', 'generate', ...args, '--block-sizes', '2,4', '--study', 'OTHER-1');
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toContain('is the protocol of study MSCT-MS, not OTHER-1');
    for (const command of [
      ['list', 'generate'],
      ['list', 'verify'],
      ['list', 'fingerprint'],
    ])
      expect((await cli(...command, '--help')).stdout).toContain('--study <code>');
  });
});

describe('list generate + list verify', () => {
  const list = join(tmp, 'list.csv');
  const common = [
    '--protocol',
    'protocols/msct-ms.yaml',
    '--seed',
    'cli-test-seed-1',
    '--method',
    'permuted-block',
    '--block-sizes',
    '2,4',
  ];

  it('round-trips: a generated list verifies with the same fingerprint; a changed entry exits 2 [EXP-004]', async () => {
    const gen = await cli('list', 'generate', ...common, '--out', list);
    expect(gen.code).toBe(0);
    const fingerprint = /fingerprint ([0-9a-f]{64})/.exec(gen.stdout)![1];
    expect(readFileSync(list, 'utf8').split('\n')[0]).toBe('stratum,position,arm,treatment_code');

    const ok = await cli('list', 'verify', ...common, '--list', list);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`fingerprint ${fingerprint}`);

    const lines = readFileSync(list, 'utf8').split('\n');
    lines[5] = lines[5].includes('MSC-PBO')
      ? lines[5].replace('MSC-PBO', 'PBO-MSC')
      : lines[5].replace('PBO-MSC', 'MSC-PBO');
    writeFileSync(list, lines.join('\n'));
    const bad = await cli('list', 'verify', ...common, '--list', list);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 6:');
    expect(bad.stderr).toContain('does not match: 1 difference(s)');
  });

  it('another seed does not verify [EXP-004]', async () => {
    await cli('list', 'generate', ...common, '--out', list);
    expect(
      (
        await cli(
          'list',
          'verify',
          '--protocol',
          'protocols/msct-ms.yaml',
          '--seed',
          'another-seed-2',
          '--method',
          'permuted-block',
          '--block-sizes',
          '2,4',
          '--list',
          list,
        )
      ).code,
    ).toBe(2);
  });

  it('--json gives the scheme without its seed', async () => {
    const r = await cli('list', 'generate', ...common, '--json');
    const out = JSON.parse(r.stdout) as { fingerprint: string; scheme: Record<string, unknown> };
    expect(out.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out.scheme.seed).toBeUndefined();
    expect(out.scheme.algorithm).toBe('seedrandom-3.0.5/xor4096');
  });

  it('explains a bad block size in one line, exit 1', async () => {
    const r = await cli(
      'list',
      'generate',
      '--protocol',
      'protocols/parallel-2to1.yaml',
      '--seed',
      'cli-test-seed-1',
      '--method',
      'permuted-block',
      '--block-sizes',
      '4',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: parameter blockSizes: 4 is not a multiple of the ratio sum 3 (2:1)');
  });
});

describe('simulate', () => {
  it('--json has the field names of ALGORITHMS.md', async () => {
    const r = await cli(
      'simulate',
      '--method',
      'biased-coin',
      '--p',
      '0.667',
      '--n',
      '20',
      '--trials',
      '1500',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of [
      'meanAbsImbalance',
      'absImbalanceQuantiles',
      'meanMaxAbsImbalance',
      'probBalanced',
      'correctGuessRate',
      'forcedRate',
      'trials',
      'n',
      'seconds',
    ]) {
      expect(out).toHaveProperty(key);
    }
    expect(out.n).toBe(20);
    expect(out.trials).toBe(1500);
    expect(typeof out.seconds).toBe('number');
  });

  it('takes --ratio and --block-sizes', async () => {
    const out = JSON.parse(
      (
        await cli(
          'simulate',
          '--method',
          'permuted-block',
          '--block-sizes',
          '3,6',
          '--ratio',
          '2:1',
          '--n',
          '30',
          '--trials',
          '500',
          '--json',
        )
      ).stdout,
    ) as {
      armProportions: Record<string, number>;
    };
    expect(out.armProportions.A).toBeCloseTo(2 / 3, 2);
  });

  it('--compare prints one table with a row per design', async () => {
    const r = await cli(
      'simulate',
      '--compare',
      'simple',
      'biased-coin:p=0.667',
      'permuted-block:block-sizes=2,4,6',
      '--n',
      '20',
      '--trials',
      '1000',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^design\s+E\|D_n\|/);
    expect(lines.slice(3).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'simple',
      'biased-coin:p=0.667',
      'permuted-block:block-sizes=2,4,6',
    ]);
  });

  it('--exact prints the exact figures with the same fields plus "exact": true', async () => {
    const r = await cli('simulate', '--method', 'big-stick', '--bound', '2', '--n', '100', '--exact', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of [
      'meanAbsImbalance',
      'absImbalanceQuantiles',
      'meanMaxAbsImbalance',
      'probBalanced',
      'correctGuessRate',
      'forcedRate',
      'n',
      'seconds',
    ]) {
      expect(out).toHaveProperty(key);
    }
    expect(out.exact).toBe(true);
    // Big stick b = 2 from the empty start: |D| ∈ {0, 2} at even n, half the time at each; E|D_100| = 1 exactly.
    expect(out.meanAbsImbalance).toBeCloseTo(1, 12);
    expect(out.absImbalanceDistribution).toEqual([expect.any(Number), 0, expect.any(Number), ...new Array(98).fill(0)]);
  });

  it('--compare … --exact gives one exact row per design; designs without an exact form are refused in one line', async () => {
    const r = await cli('simulate', '--compare', 'simple', 'chen:p=0.7,bound=3', '--n', '50', '--exact', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ design: string; exact: boolean }>;
    expect(rows.map((row) => [row.design, row.exact])).toEqual([
      ['simple', true],
      ['chen:p=0.7,bound=3', true],
    ]);
    const refused = await cli('simulate', '--method', 'minimization', '--factors', '2,2', '--exact');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'error: exact figures are available only without covariates (no --factors); simulate this design instead',
    );
    const threeArms = await cli('simulate', '--method', 'simple', '--arms', '3', '--exact');
    expect(threeArms.stderr.trim()).toBe(
      'error: exact figures are available for two arms only, got 3; simulate this design instead',
    );
  });

  it('rejects an unknown method in one line', async () => {
    const r = await cli('simulate', '--method', 'coin-flip', '--trials', '10');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unknown method "coin-flip"');
  });

  it('has --help listing the parameter flags', async () => {
    const help = (await cli('simulate', '--help')).stdout;
    for (const flag of [
      '--p',
      '--bound',
      '--block-sizes',
      '--ratio',
      '--alpha',
      '--beta',
      '--compare',
      '--json',
      '--exact',
    ])
      expect(help).toContain(flag);
  });
});
