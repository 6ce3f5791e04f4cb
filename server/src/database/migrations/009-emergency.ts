import type { Ddl } from './ddl.js';

/**
 * Emergency unblinding where the patient is (issue 15):
 * - an unblinding request remembers when and how it was escalated because nobody decided it in
 *   time; the scheduler finds due escalations from these columns (not from in-memory timers), and
 *   its conditional UPDATE … WHERE escalated_at IS NULL lets exactly one instance escalate;
 * - a notification carries the console link of the record it is about;
 * - each rehearsal's warnings are kept, so activation can show them and ask for an override reason.
 * Existing rows: never escalated, no link (the console falls back to the record type and id).
 */
export function emergency(t: Ddl): string[] {
  return [
    `ALTER TABLE unblinding_requests ADD COLUMN escalated_at ${t.ts}`,
    'ALTER TABLE unblinding_requests ADD COLUMN escalated_to VARCHAR(32)',
    'CREATE INDEX unblinding_requests_open ON unblinding_requests(status, escalated_at, requested_at)',
    'ALTER TABLE notifications ADD COLUMN link VARCHAR(500)',
    `CREATE TABLE rehearsals (
      id VARCHAR(36) PRIMARY KEY,
      scheme_id VARCHAR(36) NOT NULL,
      scheme_version INTEGER NOT NULL,
      patients INTEGER NOT NULL,
      warnings ${t.json} NOT NULL,
      run_by VARCHAR(64) NOT NULL,
      run_at ${t.ts} NOT NULL
    )`,
    'CREATE INDEX rehearsals_scheme ON rehearsals(scheme_id, run_at)',
  ];
}

export function emergencyDown(_t: Ddl): string[] {
  return [
    'DROP TABLE rehearsals',
    'ALTER TABLE notifications DROP COLUMN link',
    'DROP INDEX unblinding_requests_open',
    'ALTER TABLE unblinding_requests DROP COLUMN escalated_to',
    'ALTER TABLE unblinding_requests DROP COLUMN escalated_at',
  ];
}
