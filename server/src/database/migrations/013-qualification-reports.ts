import type { Ddl } from './ddl.js';

/**
 * Signed installation and operational qualification reports (server/src/modules/qualification).
 * The report is kept whole as signed (canonical bytes re-derivable from `report`), beside the digest
 * and result that its audit entry also records, so a report row altered later no longer matches
 * either its signature or the chain.
 */
export function qualificationReports(t: Ddl): string[] {
  return [
    `CREATE TABLE qualification_reports (
      id VARCHAR(36) PRIMARY KEY,
      started_at ${t.ts} NOT NULL,
      finished_at ${t.ts} NOT NULL,
      run_by VARCHAR(64) NOT NULL,
      result VARCHAR(8) NOT NULL,
      passed INTEGER NOT NULL,
      failed INTEGER NOT NULL,
      digest CHAR(64) NOT NULL,
      report ${t.json} NOT NULL)`,
    `CREATE INDEX qualification_reports_started ON qualification_reports(started_at)`,
  ];
}
