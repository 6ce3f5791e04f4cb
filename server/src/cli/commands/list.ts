/**
 * `list generate` and `list verify`: produce a stratified list from a protocol, method and seed
 * (CSV), and later regenerate it from the same inputs to check a stored list and its fingerprint.
 * A production scheme's fingerprint and seed commitment are salted: with the seed and salt the
 * server releases at end-of-study unblinding, `--salt` reproduces them and `--fingerprint`
 * checks the value published at activation. Without `--salt` the unsalted form is printed (the
 * legacy form, and what offline simulation work uses).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  EngineError,
  generateScheme,
  importList,
  listToCsv,
  parseListCsv,
  schemeFingerprint,
} from '../../../../shared/engine/index.js';
import type { Scheme } from '../../../../shared/engine/index.js';
import { addParamOptions, paramsFromFlags, type ParamFlags } from '../../simulation/cli-params.js';
import { CliError } from '../cli-error.js';
import { checkProtocolStudy, PROTOCOL_STUDY_OPTION } from '../study-option.js';
import { loadProtocol } from './protocol.js';

interface ListFlags extends ParamFlags {
  protocol: string;
  method?: string;
  seed: string;
  salt?: string;
  sites?: string;
  listLength?: string;
  json?: boolean;
  study?: string;
}

type FingerprintFlags = {
  protocol: string;
  list: string;
  salt?: string;
  sites?: string;
  fingerprint?: string;
  study?: string;
};

function addSchemeOptions(cmd: Command): Command {
  return addParamOptions(
    cmd
      .requiredOption('--protocol <file>', 'protocol YAML file')
      .option(...PROTOCOL_STUDY_OPTION)
      .requiredOption('--seed <seed>', 'master seed (keep it secret until the end of the study)')
      .option(
        '--salt <hex>',
        'the salt of the fingerprint and seed commitment (64 hex digits, released with the seed at end-of-study unblinding)',
      )
      .option('--method <method>', "allocation method (default: the protocol's randomization.method)")
      .option('--sites <codes>', "site codes, comma-separated (default: the protocol's sites)")
      .option('--list-length <n>', "entries per stratum (default: the protocol's listLengthPerStratum)"),
  );
}

function buildScheme(flags: ListFlags): Scheme {
  const protocol = loadProtocol(flags.protocol);
  checkProtocolStudy(flags.protocol, protocol.study.code, flags.study);
  const method = flags.method ?? protocol.randomization?.method;
  if (!method) throw new CliError('no --method given and the protocol names no randomization.method');
  const explicit = paramsFromFlags(flags);
  const params =
    Object.keys(explicit).length === 0 && method === protocol.randomization?.method
      ? protocol.randomization.params
      : explicit;
  const siteCodes = flags.sites
    ? flags.sites.split(',').map((s) => s.trim())
    : (protocol.sites ?? []).map((s) => s.code);
  try {
    const scheme = generateScheme(protocol, {
      method,
      params,
      seed: flags.seed,
      salt: flags.salt,
      siteCodes,
      listLength: flags.listLength !== undefined ? Number(flags.listLength) : undefined,
    });
    if (scheme.live)
      throw new CliError(`method "${method}" allocates live (at randomization time); there is no list to generate`);
    return scheme;
  } catch (e) {
    if (e instanceof EngineError) throw new CliError(e.message);
    throw e;
  }
}

function publicScheme(scheme: Scheme): Omit<Scheme, 'seed' | 'salt'> {
  const { seed: _secret, salt: _salt, ...rest } = scheme;
  return rest;
}

export function register(program: Command): void {
  const list = program.command('list').description('randomization lists: generate from a seed, verify against a seed');
  addSchemeOptions(
    list
      .command('generate')
      .description('generate the stratified list (CSV: stratum,position,arm,treatment_code) and print its fingerprint'),
  )
    .option('--out <file>', 'write the CSV here (default: standard output)')
    .option('--json', 'print the scheme (without the seed and salt) and its fingerprint as JSON')
    .action((flags: ListFlags & { out?: string }) => {
      const scheme = buildScheme(flags);
      const fingerprint = schemeFingerprint(scheme);
      const csv = listToCsv(scheme);
      if (flags.out) writeFileSync(flags.out, csv);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ fingerprint, scheme: publicScheme(scheme) }, null, 2)}\n`);
        return;
      }
      if (!flags.out) process.stdout.write(csv);
      const entries = scheme.strata.reduce((s, x) => s + x.entries.length, 0);
      const note = `${scheme.method}: ${scheme.strata.length} strata, ${entries} entries${flags.out ? ` written to ${flags.out}` : ''}\nfingerprint ${fingerprint}\nseed commitment ${scheme.seedCommitment}\n`;
      (flags.out ? process.stdout : process.stderr).write(note);
    });

  addSchemeOptions(
    list
      .command('verify')
      .description(
        'regenerate the list from protocol, method and seed and compare it with a CSV list (exit 2 on any difference)',
      ),
  )
    .requiredOption('--list <file>', 'the list CSV to check')
    .option(
      '--fingerprint <hex>',
      'the fingerprint published at activation: the regenerated one must equal it (with --salt for a salted scheme)',
    )
    .option('--json', 'print {match, fingerprint, differences} as JSON')
    .action((flags: ListFlags & { list: string; fingerprint?: string }) => {
      const scheme = buildScheme(flags);
      const fingerprint = schemeFingerprint(scheme);
      let rows;
      try {
        rows = parseListCsv(readFileSync(flags.list, 'utf8'));
      } catch (e) {
        throw new CliError(`${flags.list}: ${(e as Error).message}`);
      }
      const expected = new Map<string, string>();
      for (const s of scheme.strata)
        for (const e of s.entries) expected.set(`${s.key}#${e.position}`, `${e.armCode},${e.treatmentCode}`);
      const differences: string[] = [];
      const seen = new Set<string>();
      for (const r of rows) {
        const key = `${r.stratum}#${r.position}`;
        seen.add(key);
        const want = expected.get(key);
        if (want === undefined)
          differences.push(`line ${r.line}: ${r.stratum} position ${r.position} is not in the regenerated list`);
        else if (want !== `${r.armCode},${r.treatmentCode}`)
          differences.push(`line ${r.line}: ${r.stratum} position ${r.position} differs from the regenerated list`);
      }
      for (const key of expected.keys())
        if (!seen.has(key)) differences.push(`missing from the file: ${key.replace('#', ' position ')}`);
      if (flags.fingerprint !== undefined && flags.fingerprint.trim().toLowerCase() !== fingerprint) {
        differences.push(
          `the regenerated fingerprint ${fingerprint} is not the published ${flags.fingerprint.trim()}${flags.salt ? '' : ' (a salted scheme needs --salt)'}`,
        );
      }
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ match: differences.length === 0, fingerprint, seedCommitment: scheme.seedCommitment, entries: expected.size, differences }, null, 2)}\n`,
        );
      else if (differences.length === 0)
        process.stdout.write(
          `OK: all ${expected.size} entries match the regenerated list\nfingerprint ${fingerprint}\n`,
        );
      else
        process.stderr.write(
          `${differences.slice(0, 20).join('\n')}${differences.length > 20 ? `\n… and ${differences.length - 20} more` : ''}\nfingerprint of the regenerated list ${fingerprint}\n`,
        );
      if (differences.length > 0)
        throw new CliError(`${flags.list} does not match: ${differences.length} difference(s)`, 2);
    });

  // An imported list has no seed to regenerate it from; after unblinding its released salt still
  // lets anyone recompute the fingerprint that was published at activation from the list itself.
  list
    .command('fingerprint')
    .description(
      'the fingerprint of a list CSV as imported (method "import"), with the salt released at end-of-study unblinding; exit 2 if --fingerprint differs',
    )
    .requiredOption('--protocol <file>', 'protocol YAML file')
    .requiredOption('--list <file>', 'the list CSV (stratum,position,arm,treatment_code)')
    .option(
      '--salt <hex>',
      'the salt released at end-of-study unblinding (without it: the legacy unsalted fingerprint)',
    )
    .option('--sites <codes>', "site codes, comma-separated (default: the protocol's sites)")
    .option('--fingerprint <hex>', 'the fingerprint published at activation, to compare with')
    .option(...PROTOCOL_STUDY_OPTION)
    .action((flags: FingerprintFlags) => {
      const protocol = loadProtocol(flags.protocol);
      checkProtocolStudy(flags.protocol, protocol.study.code, flags.study);
      const siteCodes = flags.sites
        ? flags.sites.split(',').map((x) => x.trim())
        : (protocol.sites ?? []).map((x) => x.code);
      let fingerprint: string;
      try {
        if (flags.salt !== undefined && !/^[0-9a-f]{64}$/.test(flags.salt))
          throw new CliError('--salt must be 64 lower-case hex digits');
        fingerprint = schemeFingerprint({
          ...importList(protocol, readFileSync(flags.list, 'utf8'), { siteCodes }),
          salt: flags.salt,
        });
      } catch (e) {
        if (e instanceof EngineError) throw new CliError(`${flags.list}: ${e.message}`);
        throw e;
      }
      process.stdout.write(`fingerprint ${fingerprint}\n`);
      if (flags.fingerprint !== undefined && flags.fingerprint.trim().toLowerCase() !== fingerprint) {
        throw new CliError(
          `the list's fingerprint ${fingerprint} is not the published ${flags.fingerprint.trim()}${flags.salt ? '' : ' (a salted scheme needs --salt)'}`,
          2,
        );
      }
    });
}
