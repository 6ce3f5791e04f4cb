/**
 * `key rotate`: replaces the signing key as an explicit, signed, audited act (run with the server
 * stopped). In one write transaction: an `audit.key_rotated` entry, sealed by a checkpoint signed
 * with the RETIRING key, and a `signing_keys` record signed by both keys (see key-ring.ts) — so
 * every earlier checkpoint and e-signature still verifies, with the retired key for its range.
 * The new key is written to `<key>.next` first and swapped in after the commit; the retired key
 * file is kept as `<key>.retired-<time>` (move it offline; it signs nothing any more).
 */
import type { Command } from 'commander';
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import { loadConfig } from '../../config/config.js';
import { SYSTEM_ACTOR } from '../../common/system-actor.js';
import { rotationMessage } from '../../database/audit/key-ring.js';
import { SigningKey } from '../../database/audit/signing-key.js';
import { checkStartup } from '../../startup/startup-check.js';
import { CliError } from '../cli-error.js';

export function registerKey(program: Command): void {
  const key = program.command('key').description('signing key tools');
  key
    .command('rotate')
    .description('replace the signing key (signed by the old and the new key, audited); stop the server first')
    .requiredOption('--reason <text>', 'why the key is rotated (kept in the audit entry)')
    .option('--db <file>', 'SQLite database file (overrides DATABASE_PATH)')
    .action(async (opts: { reason: string; db?: string }) => {
      if (opts.reason.trim().length < 5) throw new CliError('give a --reason of at least 5 characters');
      const config = loadConfig({ ...process.env, ...(opts.db ? { DATABASE_PATH: opts.db } : {}) });
      const path = config.signingKeyPath;
      const next = `${path}.next`;
      if (existsSync(next))
        throw new CliError(
          `${next} exists: an earlier rotation was interrupted; start the server for instructions, or remove ${next} if that rotation was never recorded`,
        );
      const startup = await checkStartup(config).catch((err: Error) => {
        throw new CliError(err.message);
      });
      const retiring = startup.key;
      const incoming = SigningKey.create(next);
      const { createApp } = await import('../../create-app.js');
      const { DatabaseService } = await import('../../database/database.service.js');
      const app = await createApp(config, { logger: false, serveConsole: false, startup });
      let lastSize = 0;
      try {
        await app.get(DatabaseService).withWriteTransaction({ ...SYSTEM_ACTOR, username: 'cli' }, async (tx) => {
          const head = await tx.sql.one<Record<string, unknown>>('SELECT seq FROM audit_head WHERE id = ?', [
            tx.studyId,
          ]);
          // This transaction writes one entry and seals it with the retiring key: its last size.
          lastSize = Number(head!.seq) + 1;
          const record = {
            publicKey: incoming.publicKeyBase64,
            previousKey: retiring.publicKeyBase64,
            previousLastSize: lastSize,
            at: tx.now,
          };
          const message = rotationMessage(record);
          const id = (await tx.sql.count('SELECT COUNT(*) AS n FROM signing_keys')) + 1;
          await tx.sql.exec(
            'INSERT INTO signing_keys (id, public_key, previous_key, previous_last_size, at, handover_signature, succession_signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              id,
              record.publicKey,
              record.previousKey,
              record.previousLastSize,
              record.at,
              retiring.sign(message),
              incoming.sign(message),
            ],
          );
          tx.audit({
            action: 'audit.key_rotated',
            entityType: 'audit',
            entityId: String(id),
            reason: opts.reason.trim(),
            details: { previousKey: record.previousKey, publicKey: record.publicKey, previousLastSize: lastSize },
          });
          tx.requestCheckpoint();
        });
        // The rotation checkpoint is appended to the checkpoint file after commit; let that task run.
        await new Promise((r) => setTimeout(r, 50));
      } catch (err) {
        unlinkSync(next);
        throw new CliError(`key rotation failed, nothing changed: ${(err as Error).message}`);
      } finally {
        await app.close();
      }
      const retired = `${path}.retired-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, retired);
      renameSync(next, path);
      process.stdout.write(
        `rotated: the new key in ${path} signs from chain size ${lastSize + 1}; the retired key (kept as ${retired}) stays valid for checkpoints up to ${lastSize}. Publish the new public key: ${incoming.publicKeyBase64}\n`,
      );
    });
}
