/** `export cdisc` and `unblinding register`: offline exports of a database (SQLite file or PostgreSQL URL). */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { parseProtocolOrThrow } from '../../../../shared/protocol/index.js';
import { toCsv } from '../../common/csv.js';
import { cdiscCsv } from '../../modules/exports/cdisc.js';
import { StudyRepository } from '../../modules/protocol/study.repository.js';
import { UnblindingRepository } from '../../modules/unblinding/unblinding.repository.js';
import { REGISTER_COLUMNS, toRegisterView } from '../../modules/unblinding/unblinding.views.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb } from '../offline-db.js';
import { selectStudy, STUDY_OPTION } from '../study-option.js';

type DbOptions = { db?: string; databaseUrl?: string; study?: string };

/** The `export` group is created by replay.ts; reuse it so both files can add subcommands. */
function exportGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('exports for inspectors and analysis')
  );
}

export function registerUnblinding(program: Command): void {
  exportGroup(program)
    .command('cdisc')
    .description(
      'the unblinded CDISC-style data set (USUBJID, SITEID, RANDNO, RANDDT, ARMCD, ARM, ACTARMCD, ACTARM, crossover TRTSEQP/TRTxxP, strata) as CSV; only after end-of-study unblinding',
    )
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--out <file>', 'write the CSV here (default: standard output)')
    .option(...STUDY_OPTION)
    .action(async (opts: DbOptions & { out?: string }) => {
      const db = await openOfflineDb(opts);
      try {
        const csv = await db.run(async (sql) => {
          const chosen = await selectStudy(sql, opts.study);
          const study = await StudyRepository.find(sql, chosen.id);
          if (!study) throw new CliError('this database has no study');
          if (study.status !== 'unblinded')
            throw new CliError(
              `the study is ${study.status}: the CDISC export is released only after end-of-study unblinding (two statisticians' signatures)`,
            );
          const protocol = parseProtocolOrThrow(
            (await StudyRepository.protocolYaml(sql, chosen.id)) ?? '',
            'stored protocol',
          );
          return cdiscCsv((q, p) => sql.all(q, p), study.id, protocol, study.code);
        });
        if (opts.out) {
          writeFileSync(opts.out, csv);
          process.stderr.write(`wrote ${csv.trim().split('\n').length - 1} subjects to ${opts.out}\n`);
        } else process.stdout.write(csv);
      } finally {
        await db.close();
      }
    });

  program
    .command('unblinding')
    .description('emergency and end-of-study unblinding records')
    .command('register')
    .description("who has seen which patient's allocation, when and why (never the arm), as CSV or JSON")
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--json', 'print JSON instead of CSV')
    .option(...STUDY_OPTION)
    .action(async (opts: DbOptions & { json?: boolean }) => {
      const db = await openOfflineDb(opts);
      try {
        const study = await db.run((sql) => selectStudy(sql, opts.study));
        const rows = (await db.run((sql) => UnblindingRepository.register(sql, study.id))).map(toRegisterView);
        process.stdout.write(opts.json ? JSON.stringify(rows, null, 2) + '\n' : toCsv(rows, REGISTER_COLUMNS));
      } finally {
        await db.close();
      }
    });
}
