import type { Ddl } from './ddl.js';

/**
 * Emergency unblinding (requests, their signed decisions, the register of who has seen which
 * allocation), the per-user notification inbox and the e-mail outbox. The outbox is filled in the
 * same write transaction as the event it reports and drained after commit, so a message is never
 * lost when the SMTP server is down.
 */
export function unblinding(t: Ddl): string[] {
  return [
    `CREATE TABLE unblinding_requests (
      id VARCHAR(36) PRIMARY KEY,
      participant_id VARCHAR(36) NOT NULL REFERENCES participants(id),
      site_code VARCHAR(32) NOT NULL,
      policy VARCHAR(32) NOT NULL,
      status VARCHAR(16) NOT NULL,
      reason TEXT NOT NULL,
      emergency ${t.bool} NOT NULL,
      requested_by_id VARCHAR(36) NOT NULL REFERENCES users(id),
      requested_by VARCHAR(64) NOT NULL,
      requested_by_name VARCHAR(200) NOT NULL,
      requested_at ${t.ts} NOT NULL,
      signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id),
      decided_at ${t.ts},
      first_revealed_at ${t.ts},
      reveal_count INTEGER NOT NULL DEFAULT 0,
      updated_at ${t.ts} NOT NULL)`,
    `CREATE INDEX unblinding_requests_participant ON unblinding_requests(participant_id)`,
    // One row per signed decision: approvals and denials, and the after-the-fact reviews of
    // break-the-glass reveals. The unique key is what makes "the same approver twice" impossible
    // even when two requests race.
    `CREATE TABLE unblinding_decisions (
      id VARCHAR(36) PRIMARY KEY,
      request_id VARCHAR(36) NOT NULL REFERENCES unblinding_requests(id),
      kind VARCHAR(16) NOT NULL,
      approve ${t.bool} NOT NULL,
      comment TEXT NOT NULL,
      decided_by_id VARCHAR(36) NOT NULL REFERENCES users(id),
      decided_by VARCHAR(64) NOT NULL,
      decided_by_name VARCHAR(200) NOT NULL,
      decided_at ${t.ts} NOT NULL,
      signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id),
      UNIQUE (request_id, decided_by_id, kind))`,
    // Who has seen which patient's allocation, when and why: every reveal call and the end-of-study
    // release (participant_id NULL = every participant).
    `CREATE TABLE unblinding_register (
      id VARCHAR(36) PRIMARY KEY,
      kind VARCHAR(32) NOT NULL,
      participant_id VARCHAR(36) REFERENCES participants(id),
      request_id VARCHAR(36) REFERENCES unblinding_requests(id),
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      username VARCHAR(64) NOT NULL,
      display_name VARCHAR(200) NOT NULL,
      role VARCHAR(32) NOT NULL,
      reason TEXT NOT NULL,
      seen_at ${t.ts} NOT NULL)`,
    `CREATE INDEX unblinding_register_participant ON unblinding_register(participant_id)`,
    `CREATE TABLE notifications (
      id VARCHAR(36) PRIMARY KEY,
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      kind VARCHAR(64) NOT NULL,
      title VARCHAR(300) NOT NULL,
      body TEXT NOT NULL,
      entity_type VARCHAR(64),
      entity_id VARCHAR(128),
      created_at ${t.ts} NOT NULL,
      read_at ${t.ts})`,
    `CREATE INDEX notifications_user ON notifications(user_id, created_at)`,
    `CREATE TABLE mail_outbox (
      id VARCHAR(36) PRIMARY KEY,
      notification_id VARCHAR(36) REFERENCES notifications(id),
      to_address VARCHAR(320) NOT NULL,
      subject VARCHAR(300) NOT NULL,
      body TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at ${t.ts} NOT NULL,
      claimed_by VARCHAR(64),
      claimed_at ${t.ts},
      last_error TEXT,
      sent_at ${t.ts},
      created_at ${t.ts} NOT NULL)`,
    `CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at)`,
  ];
}
