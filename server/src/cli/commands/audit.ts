/**
 * `audit verify`: checks a database's audit chain offline, whether the server runs or not. The
 * trusted public key comes from the signing-key file (never from the database), and checkpoints
 * from the database, the checkpoint file beside the key, and an optional exported checkpoint.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckpointView } from '../../../../shared/contract.js';
import { publicKeyFromBase64, verifyChain } from '../../modules/audit/audit-chain.js';
import { toCheckpoint, toStoredEntry } from '../../modules/audit/audit.repository.js';
import { mergeCheckpoints, readCheckpointFile } from '../../modules/audit/checkpoint-file.js';
import { KeyRing, readRotationRecords } from '../../modules/audit/key-ring.js';
import { SigningKey } from '../../modules/audit/signing-key.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb } from '../offline-db.js';

interface VerifyOptions {
  db?: string;
  databaseUrl?: string;
  key?: string;
  publicKey?: string;
  checkpoint?: string[];
  json?: boolean;
}

/** A checkpoint argument may be one exported JSON object, a JSON array, or a JSON-lines file. */
function readCheckpointArg(path: string): CheckpointView[] {
  if (!existsSync(path)) throw new CliError(`no checkpoint file at ${path}`);
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('[')) return JSON.parse(text) as CheckpointView[];
  if (text.includes('\n')) return readCheckpointFile(path);
  return [JSON.parse(text) as CheckpointView];
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit trail tools');
  audit
    .command('verify')
    .description('verify the audit hash chain and its signed checkpoints (offline)')
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--key <file>', 'signing key file (default: audit-signing.key beside the database)')
    .option('--public-key <base64>', 'trusted public key (SPKI, base64) instead of the key file')
    .option('--checkpoint <file...>', 'exported checkpoint(s) to check against (JSON, JSON array or JSON lines)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: VerifyOptions) => {
      const db = await openOfflineDb(opts);
      try {
        const rows = (await db.all('SELECT * FROM audit_log ORDER BY seq')).map(toStoredEntry);
        const fromDb = (await db.all('SELECT * FROM audit_checkpoints ORDER BY size')).map(toCheckpoint);
        const keyPath = opts.key ?? (opts.db ? join(dirname(opts.db), 'audit-signing.key') : undefined);
        let trusted = opts.publicKey ? publicKeyFromBase64(opts.publicKey) : null;
        if (!trusted && keyPath && existsSync(keyPath)) trusted = SigningKey.load(keyPath).publicKey;
        const fileCheckpoints = keyPath ? readCheckpointFile(join(dirname(keyPath), 'audit-checkpoints.jsonl')) : [];
        const extra = (opts.checkpoint ?? []).flatMap(readCheckpointArg);
        const ring = trusted ? KeyRing.from(trusted, await readRotationRecords((q) => db.all(q))) : null;
        const result = verifyChain(rows, mergeCheckpoints(fromDb, [...fileCheckpoints, ...extra]), ring);
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else {
          process.stdout.write(`${result.valid ? 'VALID' : 'INVALID'}: ${result.count} entries, head ${result.headHash}\n`);
          if (result.checkpoint) process.stdout.write(`newest checkpoint: size ${result.checkpoint.size}, signature ${result.checkpoint.signatureValid ? 'valid' : 'INVALID'}, ${result.checkpoint.matches ? 'matches the chain' : 'does NOT match the chain'}\n`);
          if (result.firstInvalidSeq !== null) process.stdout.write(`first invalid entry: ${result.firstInvalidSeq}\n`);
          for (const p of result.problems) process.stdout.write(`- ${p}\n`);
        }
        if (!result.valid) throw new CliError('the audit chain did not verify', 2);
      } finally {
        await db.close();
      }
    });
}
