/** `replay` and `export allocation-log`: offline checks and exports of a database. */
import type { Command } from 'commander';
import { parseProtocolOrThrow } from '../../../../shared/protocol/index.js';
import { toCsv } from '../../common/csv.js';
import { LOG_COLUMNS, SIGNATURE_COLUMNS, readAllocationLog } from '../../modules/allocation-log/allocation-log.rows.js';
import { replayAllocations } from '../../modules/randomization/replay.js';
import { ReplayRepository } from '../../modules/randomization/replay.repository.js';
import { SchemesRepository } from '../../modules/protocol/schemes.repository.js';
import { StudyRepository } from '../../modules/protocol/study.repository.js';
import type { Sql } from '../../database/sql.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb } from '../offline-db.js';
import { selectStudy, STUDY_OPTION } from '../study-option.js';

async function loadReplayInputs(sql: Sql, studyId: number) {
  const study = await StudyRepository.find(sql, studyId);
  if (!study) throw new CliError('this database has no study');
  if (!study.activeSchemeId)
    throw new CliError(`the study is ${study.status}: no scheme has been activated, nothing to replay`);
  const scheme = (await SchemesRepository.findById(sql, study.id, study.activeSchemeId))!;
  const protocol = parseProtocolOrThrow((await StudyRepository.protocolYaml(sql, studyId)) ?? '', 'stored protocol');
  const document = (await SchemesRepository.document(sql, study.id, scheme.id))!;
  const allocations = await ReplayRepository.allocations(sql, study.id, scheme.id);
  const envelopesFrom = await ReplayRepository.envelopesFrom(sql, study.id, scheme.id);
  const siteCodes = [
    ...new Set(document.strata.map((s) => s.levels.site).filter((x): x is string => typeof x === 'string')),
  ];
  return {
    protocol,
    document,
    fingerprint: scheme.fingerprint,
    seed: scheme.seed,
    salt: scheme.salt,
    listLength: scheme.listLength,
    allocations,
    siteCodes,
    envelopesFrom,
  };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      're-derive every allocation from the scheme and seed (and each dynamic decision from its record); report mismatches',
    )
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--json', 'print the report as JSON')
    .option(...STUDY_OPTION)
    .action(async (opts: { db?: string; databaseUrl?: string; json?: boolean; study?: string }) => {
      const db = await openOfflineDb(opts);
      try {
        const study = await db.run((sql) => selectStudy(sql, opts.study));
        const i = await db.snapshot((sql) => loadReplayInputs(sql, study.id));
        const report = replayAllocations(
          i.protocol,
          i.document,
          i.fingerprint,
          i.seed,
          i.listLength,
          i.allocations,
          i.siteCodes,
          i.salt,
          i.envelopesFrom,
        );
        if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else {
          process.stdout.write(
            `allocations replayed: ${report.allocations}; fingerprint ${report.fingerprintMatches ? 'matches' : 'DOES NOT match'}; list regenerated from seed: ${report.listRegenerated === null ? 'n/a' : report.listRegenerated ? 'identical' : 'DIFFERENT'}\n`,
          );
          process.stdout.write(`mismatches: ${report.mismatches.length}\n`);
          for (const m of report.mismatches)
            process.stdout.write(`- ${m.randomizationNumber ?? '(scheme)'}: ${m.problem}\n`);
        }
        if (report.mismatches.length) throw new CliError(`${report.mismatches.length} mismatch(es)`, 2);
      } finally {
        await db.close();
      }
    });

  const exp = program.command('export').description('exports for inspectors and analysis');
  exp
    .command('allocation-log')
    .description('the allocation log as CSV (with arms only when --unblinded is given)')
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--unblinded', 'include the arm column (for unblinded staff only)')
    .option(...STUDY_OPTION)
    .action(async (opts: { db?: string; databaseUrl?: string; unblinded?: boolean; study?: string }) => {
      const db = await openOfflineDb(opts);
      try {
        const study = await db.run((sql) => selectStudy(sql, opts.study));
        const rows = await db.run((sql) =>
          readAllocationLog((q, p) => sql.all(q, p), study.id, opts.unblinded === true),
        );
        process.stdout.write(
          toCsv(rows, [...LOG_COLUMNS, ...(opts.unblinded ? ['arm' as const] : []), ...SIGNATURE_COLUMNS]),
        );
      } finally {
        await db.close();
      }
    });
}
