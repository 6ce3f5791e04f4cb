/**
 * `study archive` writes one study's archive (open formats, signed manifest) from a database, offline;
 * `archive verify` checks an archive with its files alone (no database, no configuration): see
 * cli/archive/ and docs/ARCHIVE.md.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readCheckpointFileDetailed } from '../../database/audit/checkpoint-file.js';
import { publicKeyBase64, SigningKey } from '../../database/audit/signing-key.js';
import { collectArchive } from '../archive/archive-files.js';
import { ARCHIVE_PATHS as P } from '../archive/archive-layout.js';
import { manifestText } from '../archive/archive-manifest.js';
import { readmeText } from '../archive/archive-readme.js';
import { verifyArchive } from '../archive/archive-verify.js';
import { tarBytes, untar } from '../archive/ustar.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb } from '../offline-db.js';
import { defaultCheckpointFile, defaultKeyPath } from './audit.js';
import { packageVersion } from '../../config/package-root.js';

interface ArchiveOptions {
  study: string;
  out: string;
  tar?: boolean;
  db?: string;
  databaseUrl?: string;
  key?: string;
  checkpointFile?: string;
}

function loadKey(path: string): SigningKey {
  try {
    return SigningKey.load(path);
  } catch (err) {
    throw new CliError(
      `${(err as Error).message.split('\n')[0]}: the archive's manifest is signed with the instance's audit signing key (give --key FILE)`,
    );
  }
}

/** The target must not exist yet: an archive is written once, whole, never merged into older files. */
function checkTarget(out: string): void {
  if (existsSync(out))
    throw new CliError(`${out} already exists: give a new --out path (an archive is never overwritten)`);
  if (!existsSync(dirname(out))) throw new CliError(`the folder ${dirname(out)} does not exist`);
}

async function writeArchive(opts: ArchiveOptions): Promise<void> {
  const out = resolve(opts.out);
  const target = opts.tar ? `${out}.tar` : out;
  checkTarget(target);
  const keyPath = opts.key ? resolve(opts.key) : defaultKeyPath(opts);
  const key = loadKey(keyPath);
  const checkpointFile = opts.checkpointFile ? resolve(opts.checkpointFile) : defaultCheckpointFile(keyPath);
  const now = new Date().toISOString();
  const publicKeyPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const db = await openOfflineDb(opts);
  const collected = await (async () => {
    try {
      return await db.snapshot((sql) =>
        collectArchive(sql, opts.study, (chain) => readCheckpointFileDetailed(checkpointFile, chain).checkpoints, {
          publicKeyPem,
          publicKey: publicKeyBase64(key.publicKey),
          sign: (message) => key.sign(message),
          version: packageVersion(),
          now,
        }),
      );
    } finally {
      await db.close();
    }
  })();
  const { files, study, summary } = collected;
  const keyFingerprint = createHash('sha256')
    .update(key.publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
  files.set(
    P.readme,
    readmeText({
      study,
      writtenAt: now,
      version: packageVersion(),
      entries: summary.entries,
      checkpoints: summary.checkpoints,
      schemeFiles: [...files.keys()].filter((f) => f.startsWith(`${P.schemesDir}/`)).sort(),
      keyFingerprint,
    }),
  );
  const manifest = manifestText(files);
  const all = new Map<string, Buffer | string>(files);
  all.set(P.manifest, manifest);
  all.set(P.manifestSignature, Buffer.from(key.sign(manifest), 'base64'));
  if (opts.tar) writeFileSync(target, tarBytes(basename(out), all), { flag: 'wx' });
  else {
    // Written beside the target, then renamed: a failure leaves no half archive under the target's name.
    const tmp = `${out}.partial-${process.pid}`;
    try {
      for (const [path, content] of all) {
        mkdirSync(dirname(join(tmp, path)), { recursive: true });
        writeFileSync(join(tmp, path), content);
      }
      renameSync(tmp, out);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `archive of ${study.code} written to ${target}: ${all.size} files; chain ${summary.entries} entries, ${summary.checkpoints} checkpoints; ${summary.allocations} allocations; ${summary.register} register rows\n` +
      `signing key fingerprint (SHA-256 of the public key) ${keyFingerprint}\n`,
  );
}

/** Every regular file under `dir`, by path relative to it ('/'-separated). */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

function readArchive(path: string): Map<string, Buffer> {
  if (!existsSync(path)) throw new CliError(`no archive at ${path}`);
  if (statSync(path).isDirectory()) return readTree(path);
  try {
    return untar(readFileSync(path));
  } catch (err) {
    throw new CliError(`${path} is neither an archive folder nor a readable tar (${(err as Error).message})`);
  }
}

export function registerArchive(program: Command): void {
  const study =
    program.commands.find((c) => c.name() === 'study') ?? program.command('study').description('study-level tools');
  study
    .command('archive')
    .description(
      'write the study archive (protocol, schemes and lists, allocation log, unblinding register, audit chain, checkpoints, exports, signed manifest, README) to a new folder; only after end-of-study unblinding',
    )
    .requiredOption('--study <code>', "the study's code (must match the study in the database)")
    .requiredOption('--out <dir>', 'the archive folder to create (must not exist)')
    .option('--tar', 'write <dir>.tar (ustar) instead of a folder')
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option(
      '--key <file>',
      'the audit signing key file that signs the manifest (default: SIGNING_KEY_PATH, else audit-signing.key beside the SQLite file, or ./data/audit-signing.key)',
    )
    .option(
      '--checkpoint-file <file>',
      "the server's checkpoint file (default: CHECKPOINT_LOG_PATH, else audit-checkpoints.jsonl beside the key)",
    )
    .action((opts: ArchiveOptions) => writeArchive(opts));

  program
    .command('archive')
    .description('study archives')
    .command('verify')
    .description(
      'verify a study archive (folder or .tar) offline with its files alone: manifest signature, file hashes, audit chain, checkpoints, protocol, schemes and lists, allocation log and register against the chain, signature seals; exit 0 when all pass, 1 otherwise',
    )
    .argument('<dir>', 'the archive folder or its .tar')
    .option('--public-key <base64>', "a trusted public key (SPKI, base64) instead of the archive's own copy")
    .option('--json', 'print the checks as JSON')
    .action((dir: string, opts: { publicKey?: string; json?: boolean }) => {
      const checks = verifyArchive(readArchive(resolve(dir)), opts.publicKey);
      const failed = checks.filter((c) => !c.ok);
      if (opts.json) process.stdout.write(JSON.stringify({ valid: failed.length === 0, checks }, null, 2) + '\n');
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? 'OK    ' : 'FAILED'} ${c.name}: ${c.summary}\n`);
          for (const p of c.problems) process.stdout.write(`       - ${p}\n`);
        }
        process.stdout.write(
          failed.length === 0 ? 'VALID: every check passed\n' : `INVALID: ${failed.length} check(s) failed\n`,
        );
      }
      if (failed.length) throw new CliError(`the archive did not verify: ${failed.map((c) => c.name).join(', ')}`, 1);
    });
}
