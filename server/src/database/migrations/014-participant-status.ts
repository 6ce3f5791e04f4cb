import type { Ddl } from './ddl.js';

/**
 * Lifecycles as data (issue 14): a participant's `unblinded` boolean repeated its status
 * `unblinded` (the reveal set both together), so the status alone says it. A row that somehow had
 * the flag without the status keeps its meaning: it becomes `unblinded` before the column goes.
 * The API still answers `unblinded: true|false`, computed from the status.
 */
export function participantStatus(t: Ddl): string[] {
  return [
    `UPDATE participants SET status = 'unblinded' WHERE unblinded = ${t.true} AND status <> 'unblinded'`,
    'ALTER TABLE participants DROP COLUMN unblinded',
  ];
}

export function participantStatusDown(t: Ddl): string[] {
  return [
    `ALTER TABLE participants ADD COLUMN unblinded ${t.bool} NOT NULL DEFAULT ${t.false}`,
    `UPDATE participants SET unblinded = ${t.true} WHERE status = 'unblinded'`,
  ];
}
