/**
 * `qualify`: runs installation and operational qualification on a running instance (as an admin,
 * over HTTP: POST /api/admin/qualification), downloads the signed report as JSON and HTML into
 * --out, and verifies the JSON against the public key the instance publishes with its checkpoints.
 * Exit 0 when every check passed, 2 when one failed (the report is written either way).
 * `qualify verify REPORT.json [--public-key KEY]`: verifies a report offline; exit 0 valid, 2 not.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePublicKey, verifyReport, type QualificationReport } from '../modules/qualification/report.js';
import { CliError } from './cli-error.js';

interface RunOptions {
  url: string;
  username: string;
  passwordStdin?: boolean;
  totp?: string;
  out: string;
  installationOnly?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: any }> {
  let res: Response;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new CliError(`cannot reach ${base}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* HTML or empty */
  }
  return { status: res.status, text, json };
}

async function run(opts: RunOptions): Promise<void> {
  const base = opts.url.replace(/\/+$/, '');
  const password = opts.passwordStdin ? await readStdin() : process.env.BLINDRAND_PASSWORD;
  if (!password)
    throw new CliError('give the password on standard input with --password-stdin (or in BLINDRAND_PASSWORD)');
  // An administrator signs in with their second factor: the code from the authenticator app.
  const totp = opts.totp ?? process.env.BLINDRAND_TOTP;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: opts.username, password, ...(totp ? { totp } : {}) }),
  }).catch((err: Error) => {
    throw new CliError(`cannot reach ${base}: ${err.message}`);
  });
  if (login.status !== 200) throw new CliError(`sign-in as ${opts.username} refused (${login.status})`);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  process.stderr.write(
    opts.installationOnly
      ? 'qualification running (installation checks)…\n'
      : 'qualification running (installation checks, then a throwaway study)…\n',
  );
  const started = await call(base, 'POST', '/api/admin/qualification', token, {
    installationOnly: opts.installationOnly === true,
  });
  if (started.status !== 201)
    throw new CliError(
      `the server refused the qualification (${started.status}): ${started.json?.message ?? started.text.slice(0, 200)}`,
    );
  const id = String(started.json.id);
  const json = await call(base, 'GET', `/api/admin/qualification/${id}`, token);
  const html = await call(base, 'GET', `/api/admin/qualification/${id}/html`, token);
  if (json.status !== 200 || html.status !== 200)
    throw new CliError(`cannot download report ${id} (${json.status}/${html.status})`);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const jsonFile = join(out, `qualification-${id}.json`);
  const htmlFile = join(out, `qualification-${id}.html`);
  writeFileSync(jsonFile, json.text);
  writeFileSync(htmlFile, html.text);
  // The key the instance publishes with its signed checkpoints: the report must verify under it.
  const checkpoints = await call(base, 'GET', '/api/audit/checkpoints', token);
  const published =
    Array.isArray(checkpoints.json) && checkpoints.json.length
      ? String(checkpoints.json[checkpoints.json.length - 1].publicKey)
      : null;
  const report = json.json as QualificationReport;
  const outcome = verifyReport(report, published ? (parsePublicKey(published) ?? undefined) : undefined);
  for (const c of report.checks)
    process.stdout.write(`${c.pass ? 'PASS' : 'FAIL'}  ${c.id.padEnd(32)} ${c.observed}\n`);
  process.stdout.write(
    `\nresult: ${report.result} (${report.summary.passed}/${report.summary.total} checks passed)\nreport: ${jsonFile}\n        ${htmlFile}\ndigest: ${report.signature.digest}\n`,
  );
  if (!outcome.valid) throw new CliError(`the downloaded report does not verify: ${outcome.problems.join('; ')}`, 2);
  process.stdout.write(
    `signature: valid, signed by the instance key ${published ? '(the key of its published checkpoints)' : '(named in the report)'}\n`,
  );
  if (report.result !== 'pass')
    throw new CliError(
      `qualification failed: ${report.summary.failed} of ${report.summary.total} checks failed (see the report)`,
      2,
    );
}

function verify(file: string, opts: { publicKey?: string }): void {
  if (!existsSync(file)) throw new CliError(`${file} does not exist`);
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CliError(`INVALID: ${file} is not JSON`, 2);
  }
  let trusted;
  if (opts.publicKey) {
    const text = existsSync(opts.publicKey) ? readFileSync(opts.publicKey, 'utf8') : opts.publicKey;
    trusted = parsePublicKey(text);
    if (!trusted) throw new CliError('--public-key is neither a Base64 SPKI key nor a PEM key (or a file holding one)');
  }
  const outcome = verifyReport(report, trusted ?? undefined);
  if (!outcome.valid) {
    throw new CliError(`INVALID: ${outcome.problems.join('; ')}`, 2);
  }
  const r = report as QualificationReport;
  process.stdout.write(
    `VALID: report ${r.id}, result ${r.result} (${r.summary.passed}/${r.summary.total}), run by ${r.runBy.username} at ${r.startedAt}, digest ${outcome.digest}\n`,
  );
  if (!outcome.keyTrusted)
    process.stdout.write(
      "note: checked against the key named in the report; give --public-key (the instance's published key) to check who signed it\n",
    );
}

export function registerQualify(program: Command): void {
  const qualify = program
    .command('qualify')
    .description(
      'installation and operational qualification of a running instance; writes a signed report (JSON and HTML)',
    )
    .option('--url <url>', 'the instance, e.g. https://blindrand.example.org')
    .option('--username <name>', 'an administrator')
    .option('--password-stdin', 'read the password from standard input (else BLINDRAND_PASSWORD)')
    .option('--totp <code>', 'the code of your authenticator app (else BLINDRAND_TOTP)')
    .option('--out <dir>', 'where to write the report', '.')
    .option('--installation-only', 'only the installation checks (a quick re-check after a configuration change)')
    .action(async (opts: Partial<RunOptions>) => {
      if (!opts.url || !opts.username)
        throw new CliError('give --url and --username (or use `qualify verify REPORT.json`)');
      await run(opts as RunOptions);
    });
  qualify
    .command('verify <report>')
    .description('verify a qualification report offline (exit 0 valid, 2 not)')
    .option(
      '--public-key <key>',
      "the instance's public key (Base64 SPKI as published with checkpoints, PEM, or a file holding either)",
    )
    .action((file: string, opts: { publicKey?: string }) => verify(file, opts));
}
