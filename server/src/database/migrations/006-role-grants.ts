import type { Ddl } from './ddl.js';

/**
 * No self-granted unblinding (issue 11, Build 5). Who created each account (so an account one admin
 * created cannot approve that admin's grants); one-time set-password links (only the SHA-256 of the
 * token is stored: an admin never chooses or learns another person's password); and grants of a
 * sensitive role held until a second, independent person signs an approval. Existing accounts keep
 * working: created_by_id is NULL for them (demo, CLI, system), which links them to nobody.
 */
export function roleGrants(t: Ddl): string[] {
  return [
    `ALTER TABLE users ADD COLUMN created_by_id VARCHAR(36)`,
    // The last person other than the user who reset the password or changed the e-mail address (could receive the link).
    `ALTER TABLE users ADD COLUMN credentials_by_id VARCHAR(36)`,
    `CREATE TABLE password_tokens (
      id VARCHAR(36) PRIMARY KEY,
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      token_hash CHAR(64) NOT NULL UNIQUE,
      purpose VARCHAR(16) NOT NULL,
      requested_by VARCHAR(64) NOT NULL,
      created_at ${t.ts} NOT NULL,
      expires_at ${t.ts} NOT NULL,
      used_at ${t.ts},
      revoked_at ${t.ts})`,
    `CREATE INDEX password_tokens_user ON password_tokens(user_id)`,
    // One row per held change: kind ∈ create, role, reactivate, password-reset, email; status ∈ pending, approved, rejected.
    `CREATE TABLE role_grants (
      id VARCHAR(36) PRIMARY KEY,
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      kind VARCHAR(16) NOT NULL,
      role VARCHAR(32) NOT NULL,
      email VARCHAR(320),
      status VARCHAR(16) NOT NULL,
      reason TEXT,
      requested_by_id VARCHAR(36) NOT NULL REFERENCES users(id),
      requested_by VARCHAR(64) NOT NULL,
      requested_at ${t.ts} NOT NULL,
      decided_by_id VARCHAR(36) REFERENCES users(id),
      decided_by VARCHAR(64),
      decided_at ${t.ts},
      comment TEXT,
      signature_id VARCHAR(36) REFERENCES signatures(id))`,
    `CREATE INDEX role_grants_status ON role_grants(status)`,
  ];
}

export function roleGrantsDown(): string[] {
  return [
    'DROP TABLE role_grants',
    'DROP TABLE password_tokens',
    'ALTER TABLE users DROP COLUMN credentials_by_id',
    'ALTER TABLE users DROP COLUMN created_by_id',
  ];
}
