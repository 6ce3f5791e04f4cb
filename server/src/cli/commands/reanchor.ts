/**
 * `audit reanchor`: the explicit way to reopen a database restored from a backup older than the
 * checkpoint file (start-up refuses it). It records what the restore lost — every checkpoint of the
 * file that the database contradicts — in an audit entry sealed by a new signed checkpoint, and moves
 * the old checkpoint file aside (kept, never deleted) so the chain verifies from here on while the
 * loss stays on the record. Run it with the server stopped.
 */
import type { Command } from 'commander';
import { existsSync, renameSync } from 'node:fs';
import { loadConfig } from '../../config/config.js';
import { SYSTEM_ACTOR } from '../../common/system-actor.js';
import { checkStartup } from '../../startup/startup-check.js';
import { CliError } from '../cli-error.js';
import { UNBLINDED_DETAILS_KEY } from '../../database/audit/audit-seal.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';

export function registerReanchor(program: Command): void {
  // Joins the `audit` group (audit.ts) without editing it; registered after it in index.ts.
  const audit =
    program.commands.find((c) => c.name() === 'audit') ?? program.command('audit').description('audit trail tools');
  audit
    .command('reanchor')
    .description(
      'accept a database restored from a backup: record the lost checkpoints (audited, signed) and move the old checkpoint file aside',
    )
    .requiredOption('--reason <text>', 'why this restore is accepted (kept in the audit entry)')
    .option('--db <file>', 'SQLite database file (overrides DATABASE_PATH)')
    .action(async (opts: { reason: string; db?: string }) => {
      if (opts.reason.trim().length < 5) throw new CliError('give a --reason of at least 5 characters');
      const config = loadConfig({ ...process.env, ...(opts.db ? { DATABASE_PATH: opts.db } : {}) });
      const startup = await checkStartup(config, { acceptRestored: true }).catch((err: Error) => {
        throw new CliError(err.message);
      });
      const file = config.checkpointLogPath;
      if (startup.lostCheckpoints.length === 0)
        throw new CliError(`nothing to re-anchor: the database agrees with the checkpoint file ${file}`);
      const archived = `${file}.before-reanchor-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      if (existsSync(archived)) throw new CliError(`${archived} already exists; try again in a second`);
      const { createApp } = await import('../../create-app.js');
      const { DatabaseService } = await import('../../database/database.service.js');
      const app = await createApp(config, { logger: false, serveConsole: false, startup });
      renameSync(file, archived);
      try {
        // A checkpoint of another chain than the first study's (the instance's, 0, or a later study's) names it.
        const tag = (chain: number) => (chain === FIRST_STUDY_ID ? {} : { chain });
        const lost = startup.lostCheckpoints.map(({ chain, size, at, publicKey }) => ({
          ...tag(chain),
          size,
          at,
          publicKey,
        }));
        // The lost heads' hashes are sealed: a head from the legacy (pre-seal) part of the chain is a hash
        // over plaintext arms, so shown to a blinded reader it would test a guess (docs/BLINDING.md).
        const lostHeadHashes = startup.lostCheckpoints.map(({ chain, size, headHash }) => ({
          ...tag(chain),
          size,
          headHash,
        }));
        await app.get(DatabaseService).withWriteTransaction({ ...SYSTEM_ACTOR, username: 'cli' }, async (tx) => {
          tx.audit({
            action: 'audit.reanchored',
            entityType: 'audit',
            reason: opts.reason.trim(),
            details: {
              checkpointFile: file,
              archivedAs: archived,
              lostCheckpoints: lost,
              [UNBLINDED_DETAILS_KEY]: { lostHeadHashes },
            },
          });
          tx.requestCheckpoint();
        });
        // The new checkpoint is appended to a fresh file after commit; let that task run.
        await new Promise((r) => setTimeout(r, 50));
        process.stdout.write(
          `re-anchored: ${lost.length} checkpoint(s) of the old file recorded in the audit trail; old file kept as ${archived}\n`,
        );
      } catch (err) {
        if (!existsSync(file)) renameSync(archived, file);
        throw new CliError(`re-anchoring failed, nothing changed: ${(err as Error).message}`);
      } finally {
        await app.close();
      }
    });
}
