/** `replay` and `export allocation-log`: offline checks and exports of a database. */
import type { Command } from 'commander';
import type { Scheme } from '../../../../shared/engine/index.js';
import { parseProtocolOrThrow } from '../../../../shared/protocol/index.js';
import { toCsv } from '../../common/csv.js';
import { LOG_COLUMNS, SIGNATURE_COLUMNS, readAllocationLog } from '../../modules/allocation-log/allocation-log.rows.js';
import { replayAllocations } from '../../modules/randomization/replay.js';
import { CliError } from '../cli-error.js';
import { openOfflineDb, type OfflineDb } from '../offline-db.js';

async function loadReplayInputs(db: OfflineDb) {
  const [study] = await db.all('SELECT * FROM study WHERE id = 1');
  if (!study) throw new CliError('this database has no study');
  if (!study.active_scheme_id) throw new CliError(`the study is ${study.status}: no scheme has been activated, nothing to replay`);
  const [scheme] = await db.all('SELECT * FROM schemes WHERE id = ?', [study.active_scheme_id]);
  const protocol = parseProtocolOrThrow(String(study.protocol_yaml), 'stored protocol');
  const document = JSON.parse(String(scheme.scheme_json)) as Scheme;
  const rows = await db.all(
    `SELECT a.*, l.position AS list_position, e.site_code AS envelope_site, e.ordinal AS envelope_ordinal
     FROM allocations a LEFT JOIN list_entries l ON l.id = a.list_entry_id LEFT JOIN envelopes e ON e.allocation_id = a.id WHERE a.scheme_id = ? ORDER BY a.randomization_number`,
    [scheme.id],
  );
  const allocations = rows.map((r) => ({
    randomizationNumber: Number(r.randomization_number),
    stratumKey: String(r.stratum_key),
    armCode: String(r.arm_code),
    treatmentCode: String(r.treatment_code),
    listPosition: r.list_position === null || r.list_position === undefined ? null : Number(r.list_position),
    covariates: JSON.parse(String(r.covariates)),
    dynamicRecord: r.dynamic_record ? JSON.parse(String(r.dynamic_record)) : null,
    envelope: r.envelope_ordinal === null || r.envelope_ordinal === undefined ? null : { channel: `${r.envelope_site}/${r.stratum_key}`, ordinal: Number(r.envelope_ordinal) },
  }));
  // Downtime envelopes own the tail of their strata (docs/DOWNTIME.md).
  const envelopesFrom: Record<string, number> = {};
  for (const r of await db.all('SELECT e.stratum_key, MIN(l.position) AS p FROM envelopes e JOIN list_entries l ON l.id = e.list_entry_id WHERE e.scheme_id = ? GROUP BY e.stratum_key', [scheme.id])) {
    envelopesFrom[String(r.stratum_key)] = Number(r.p);
  }
  const siteCodes = [...new Set(document.strata.map((s) => s.levels.site).filter((x): x is string => typeof x === 'string'))];
  return { protocol, document, fingerprint: String(scheme.fingerprint), seed: scheme.seed ? String(scheme.seed) : null, salt: scheme.salt ? String(scheme.salt) : null, listLength: scheme.list_length === null ? null : Number(scheme.list_length), allocations, siteCodes, envelopesFrom };
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-derive every allocation from the scheme and seed (and each dynamic decision from its record); report mismatches')
    .option('--db <file>', 'SQLite database file')
    .option('--database-url <url>', 'PostgreSQL URL instead of --db')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { db?: string; databaseUrl?: string; json?: boolean }) => {
      const db = await openOfflineDb(opts);
      try {
        const i = await loadReplayInputs(db);
        const report = replayAllocations(i.protocol, i.document, i.fingerprint, i.seed, i.listLength, i.allocations, i.siteCodes, i.salt, i.envelopesFrom);
        if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else {
          process.stdout.write(`allocations replayed: ${report.allocations}; fingerprint ${report.fingerprintMatches ? 'matches' : 'DOES NOT match'}; list regenerated from seed: ${report.listRegenerated === null ? 'n/a' : report.listRegenerated ? 'identical' : 'DIFFERENT'}\n`);
          process.stdout.write(`mismatches: ${report.mismatches.length}\n`);
          for (const m of report.mismatches) process.stdout.write(`- ${m.randomizationNumber ?? '(scheme)'}: ${m.problem}\n`);
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
    .action(async (opts: { db?: string; databaseUrl?: string; unblinded?: boolean }) => {
      const db = await openOfflineDb(opts);
      try {
        const rows = await readAllocationLog((q) => db.all(q), opts.unblinded === true);
        process.stdout.write(toCsv(rows, [...LOG_COLUMNS, ...(opts.unblinded ? ['arm' as const] : []), ...SIGNATURE_COLUMNS]));
      } finally {
        await db.close();
      }
    });
}
