/**
 * `audit verify`: checks a database's audit chain offline, whether the server runs or not, through
 * the same verification as the server (modules/audit/audit-verify.ts: checkpoint file first, then one
 * read-only snapshot). The trusted public key comes from the signing-key file (never from the
 * database), found as the server finds it: --key, else SIGNING_KEY_PATH, else `audit-signing.key`
 * beside the SQLite file (--db) or in ./data (--database-url, as the server's default). Checkpoints come
 * from the database, the checkpoint file (CHECKPOINT_LOG_PATH, else beside the key) and optional
 * exported checkpoints.
 * `audit repair-checkpoint-file`: moves torn or unreadable lines of the checkpoint file aside.
 */
import type { Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CheckpointView } from '../../../../shared/contract.js';
import { publicKeyFromBase64 } from '../../database/audit/audit-chain.js';
import { verifyAuditChain } from '../../modules/audit/audit-verify.js';
import { describeBadLines, parseCheckpointText, repairCheckpointFile } from '../../database/audit/checkpoint-file.js';
import { SigningKey } from '../../database/audit/signing-key.js';
import { INSTANCE_CHAIN } from '../../database/study-scope.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb } from '../offline-db.js';
import { selectStudy, STUDY_OPTION } from '../study-option.js';

interface VerifyOptions {
  db?: string;
  databaseUrl?: string;
  key?: string;
  publicKey?: string;
  checkpoint?: string[];
  checkpointFile?: string;
  json?: boolean;
  study?: string;
  instance?: boolean;
}

/** Where the server keeps its key for this database (config.ts: SIGNING_KEY_PATH, else beside the data). */
export function defaultKeyPath(
  opts: { db?: string; databaseUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (env.SIGNING_KEY_PATH) return resolve(env.SIGNING_KEY_PATH);
  return opts.db ? join(dirname(resolve(opts.db)), 'audit-signing.key') : resolve('data', 'audit-signing.key');
}

export function defaultCheckpointFile(keyPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CHECKPOINT_LOG_PATH ? resolve(env.CHECKPOINT_LOG_PATH) : join(dirname(keyPath), 'audit-checkpoints.jsonl');
}

/** A checkpoint argument may be one exported JSON object, a JSON array, or a JSON-lines file. */
function readCheckpointArg(path: string): CheckpointView[] {
  if (!existsSync(path)) throw new CliError(`no checkpoint file at ${path}`);
  const raw = readFileSync(path, 'utf8');
  const text = raw.trim();
  try {
    if (text.startsWith('[')) return JSON.parse(text) as CheckpointView[];
    if (!text.includes('\n')) return [JSON.parse(text) as CheckpointView];
  } catch (err) {
    throw new CliError(`${path}: not a checkpoint export (${(err as Error).message})`);
  }
  const parsed = parseCheckpointText(path, raw);
  if (parsed.bad.length) throw new CliError(describeBadLines(parsed)[0]);
  return parsed.checkpoints;
}

function trustedKey(opts: VerifyOptions, keyPath: string): KeyObject {
  if (opts.publicKey) {
    try {
      return publicKeyFromBase64(opts.publicKey);
    } catch {
      throw new CliError('--public-key is not a base64 SPKI Ed25519 public key');
    }
  }
  if (!existsSync(keyPath)) {
    throw new CliError(
      `no signing key at ${keyPath}: give --key FILE or --public-key BASE64 (or set SIGNING_KEY_PATH as for the server)`,
    );
  }
  try {
    return SigningKey.load(keyPath).publicKey;
  } catch (err) {
    throw new CliError(
      `the signing key file ${keyPath} cannot be read as an Ed25519 key (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit trail tools');
  audit
    .command('verify')
    .description(
      'verify the audit hash chain, its sealed details and its signed checkpoints (offline, one consistent snapshot)',
    )
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option(
      '--key <file>',
      'signing key file (default: SIGNING_KEY_PATH, else audit-signing.key beside the SQLite file, or ./data/audit-signing.key with --database-url)',
    )
    .option('--public-key <base64>', 'trusted public key (SPKI, base64) instead of the key file')
    .option(
      '--checkpoint-file <file>',
      "the server's checkpoint file (default: CHECKPOINT_LOG_PATH, else audit-checkpoints.jsonl beside the key)",
    )
    .option('--checkpoint <file...>', 'exported checkpoint(s) to check against (JSON, JSON array or JSON lines)')
    .option('--json', 'print the result as JSON')
    .option(...STUDY_OPTION)
    .option(
      '--instance',
      "verify the instance's own chain (0: accounts, sign-in, sites, role grants) instead of a study's",
    )
    .action(async (opts: VerifyOptions) => {
      if (opts.instance && opts.study !== undefined) throw new CliError('give --study or --instance, not both', 2);
      const keyPath = opts.key ? resolve(opts.key) : defaultKeyPath(opts);
      const db = await openOfflineDb(opts);
      try {
        const key = trustedKey(opts, keyPath);
        const extra = (opts.checkpoint ?? []).flatMap(readCheckpointArg);
        // One study's chain: its id is the chain; or the instance's, 0 (docs/MULTI-STUDY.md decision 4).
        const chain = opts.instance ? INSTANCE_CHAIN : (await db.run((sql) => selectStudy(sql, opts.study))).id;
        const result = await verifyAuditChain({
          chain,
          snapshot: (work) => db.snapshot((sql) => work((q, p) => sql.all(q, p), sql.raw)),
          checkpointFilePath: opts.checkpointFile ? resolve(opts.checkpointFile) : defaultCheckpointFile(keyPath),
          extraCheckpoints: extra,
          trustedKey: key,
        });
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else {
          process.stdout.write(
            `${result.valid ? 'VALID' : 'INVALID'}: ${result.count} entries, head ${result.headHash}\n`,
          );
          if (result.checkpoint)
            process.stdout.write(
              `newest checkpoint: size ${result.checkpoint.size}, signature ${result.checkpoint.signatureValid ? 'valid' : 'INVALID'}, ${result.checkpoint.matches ? 'matches the chain' : 'does NOT match the chain'}\n`,
            );
          if (result.firstInvalidSeq !== null) process.stdout.write(`first invalid entry: ${result.firstInvalidSeq}\n`);
          for (const p of result.problems) process.stdout.write(`- ${p}\n`);
          for (const w of result.warnings ?? []) process.stdout.write(`warning: ${w}\n`);
        }
        if (!result.valid)
          throw new CliError(`the audit chain did not verify: ${result.problems[0] ?? 'see above'}`, 2);
      } finally {
        await db.close();
      }
    });
  audit
    .command('repair-checkpoint-file')
    .description(
      'move torn or unreadable lines of the checkpoint file aside (to <file>.bad-<time>); the good lines stay',
    )
    .option(
      '--file <file>',
      'the checkpoint file (default: CHECKPOINT_LOG_PATH, else audit-checkpoints.jsonl beside the key)',
    )
    .option('--db <file>', 'SQLite database file (to find the key folder)')
    .option('--key <file>', 'signing key file (its folder holds the checkpoint file)')
    .action((opts: { file?: string; db?: string; key?: string }) => {
      const path = opts.file
        ? resolve(opts.file)
        : defaultCheckpointFile(opts.key ? resolve(opts.key) : defaultKeyPath(opts));
      if (!existsSync(path)) throw new CliError(`no checkpoint file at ${path}`);
      const { moved, asidePath, kept } = repairCheckpointFile(path);
      if (moved.length === 0) process.stdout.write(`${path}: all ${kept} lines are checkpoints; nothing to repair\n`);
      else
        process.stdout.write(
          `${path}: moved ${moved.length} line(s) (${moved.map((b) => `line ${b.line}${b.torn ? ' torn' : ''}`).join(', ')}) to ${asidePath}; ${kept} checkpoints kept\n`,
        );
    });
}
