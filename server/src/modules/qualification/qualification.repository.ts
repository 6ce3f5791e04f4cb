import type { Sql } from '../../database/sql.js';
import type { QualificationReport } from './report.js';

export type { QualificationSummary } from '../../../../shared/contract/qualification.js';
import type { QualificationSummary } from '../../../../shared/contract/qualification.js';

const toSummary = (r: Record<string, unknown>): QualificationSummary => ({
  id: String(r.id),
  startedAt: String(r.started_at),
  finishedAt: String(r.finished_at),
  runBy: String(r.run_by),
  result: String(r.result) === 'pass' ? 'pass' : 'fail',
  passed: Number(r.passed),
  failed: Number(r.failed),
  digest: String(r.digest),
});

export const QualificationRepository = {
  async insert(sql: Sql, report: QualificationReport): Promise<void> {
    await sql.exec(
      'INSERT INTO qualification_reports (id, started_at, finished_at, run_by, result, passed, failed, digest, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        report.id,
        report.startedAt,
        report.finishedAt,
        report.runBy.username,
        report.result,
        report.summary.passed,
        report.summary.failed,
        report.signature.digest,
        JSON.stringify(report),
      ],
    );
  },

  list(sql: Sql, limit = 50): Promise<QualificationSummary[]> {
    return sql.all(
      `SELECT id, started_at, finished_at, run_by, result, passed, failed, digest FROM qualification_reports ORDER BY started_at DESC LIMIT ${Math.floor(limit)}`,
      [],
      toSummary,
    );
  },

  async get(sql: Sql, id: string): Promise<QualificationReport | null> {
    const row = await sql.one<Record<string, unknown>>('SELECT report FROM qualification_reports WHERE id = ?', [id]);
    return row ? (JSON.parse(String(row.report)) as QualificationReport) : null;
  },
};
