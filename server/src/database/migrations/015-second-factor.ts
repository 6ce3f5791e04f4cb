import type { Ddl } from './ddl.js';

/**
 * The second factor of local accounts (issue 16): one TOTP secret per user, sealed with a key kept
 * outside the database (second-factor-key.ts), usable once `confirmed_at` is set; `last_step` is the
 * last accepted time step, so a code is never accepted twice. Recovery codes are stored as keyed
 * hashes only. A session remembers when its first full signature (password + code) happened
 * (21 CFR 11.200(a)(1)): later signatures of that session need the password only.
 */
export function secondFactor(t: Ddl): string[] {
  return [
    `CREATE TABLE second_factors (
      user_id VARCHAR(36) PRIMARY KEY REFERENCES users(id),
      secret_sealed TEXT NOT NULL,
      confirmed_at ${t.ts},
      last_step BIGINT,
      created_at ${t.ts} NOT NULL)`,
    `CREATE TABLE recovery_codes (
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      code_hash CHAR(64) NOT NULL,
      used_at ${t.ts},
      PRIMARY KEY (user_id, code_hash))`,
    `ALTER TABLE sessions ADD COLUMN full_signature_at ${t.ts}`,
    // How the session was opened: 'oidc' sessions get their second factor at the identity provider.
    `ALTER TABLE sessions ADD COLUMN via VARCHAR(16)`,
  ];
}

export function secondFactorDown(): string[] {
  return [
    'ALTER TABLE sessions DROP COLUMN full_signature_at',
    'DROP TABLE recovery_codes',
    'DROP TABLE second_factors',
  ];
}
