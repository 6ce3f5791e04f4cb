import type { Ddl } from './ddl.js';

/**
 * Sign-in through the hospital's identity provider (issue 16 Build 5).
 *  - user_identities: the provider's subject linked to a blindrand account (one per account and per
 *    issuer+subject). A username match alone never links: the link is made when the account is created
 *    from a sign-in (pending an admin's approval) or by an admin.
 *  - oidc_requests: an authorization request in flight (state hashed; nonce and PKCE verifier for a few
 *    minutes, deleted at the callback: single use).
 *  - oidc_handoffs: the one-time code the console exchanges after the callback (hashed; never the bearer
 *    token in a URL), and the single-use re-authentication tickets of SSO signatures.
 */
export function oidcSignIn(t: Ddl): string[] {
  return [
    `CREATE TABLE user_identities (
      issuer VARCHAR(255) NOT NULL,
      subject VARCHAR(255) NOT NULL,
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      linked_by VARCHAR(64) NOT NULL,
      linked_at ${t.ts} NOT NULL,
      PRIMARY KEY (issuer, subject))`,
    `CREATE UNIQUE INDEX user_identities_user ON user_identities(user_id)`,
    `CREATE TABLE oidc_requests (
      state_hash CHAR(64) PRIMARY KEY,
      purpose VARCHAR(16) NOT NULL,
      nonce VARCHAR(128) NOT NULL,
      code_verifier VARCHAR(128) NOT NULL,
      user_id VARCHAR(36),
      session_id VARCHAR(36),
      created_at ${t.ts} NOT NULL,
      expires_at ${t.ts} NOT NULL)`,
    `CREATE TABLE oidc_handoffs (
      code_hash CHAR(64) PRIMARY KEY,
      kind VARCHAR(16) NOT NULL,
      user_id VARCHAR(36) NOT NULL,
      session_id VARCHAR(36),
      auth_time ${t.ts},
      created_at ${t.ts} NOT NULL,
      expires_at ${t.ts} NOT NULL,
      used_at ${t.ts})`,
  ];
}
