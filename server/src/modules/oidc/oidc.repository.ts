/** Narrow queries on the three OIDC tables (migration 016). Codes and states are stored as SHA-256 only. */
import { asStr, asStrOrNull, type Sql } from '../../database/sql.js';

type RequestPurpose = 'login' | 'reauth';
export type HandoffKind = 'session' | 'pending' | 'reauth';

export interface OidcRequest {
  purpose: RequestPurpose;
  nonce: string;
  codeVerifier: string;
  userId: string | null;
  sessionId: string | null;
  expiresAt: string;
}

export interface OidcHandoff {
  kind: HandoffKind;
  userId: string;
  sessionId: string | null;
  authTime: string | null;
  expiresAt: string;
  usedAt: string | null;
}

const toRequest = (r: Record<string, unknown>): OidcRequest => ({
  purpose: asStr(r.purpose) as RequestPurpose,
  nonce: asStr(r.nonce),
  codeVerifier: asStr(r.code_verifier),
  userId: asStrOrNull(r.user_id),
  sessionId: asStrOrNull(r.session_id),
  expiresAt: asStr(r.expires_at),
});

const toHandoff = (r: Record<string, unknown>): OidcHandoff => ({
  kind: asStr(r.kind) as HandoffKind,
  userId: asStr(r.user_id),
  sessionId: asStrOrNull(r.session_id),
  authTime: asStrOrNull(r.auth_time),
  expiresAt: asStr(r.expires_at),
  usedAt: asStrOrNull(r.used_at),
});

export const OidcRepository = {
  userForSubject: (sql: Sql, issuer: string, subject: string) =>
    sql.one('SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?', [issuer, subject], (r) =>
      asStr(r.user_id),
    ),
  subjectOf: (sql: Sql, userId: string, issuer: string) =>
    sql.one('SELECT subject FROM user_identities WHERE user_id = ? AND issuer = ?', [userId, issuer], (r) =>
      asStr(r.subject),
    ),
  async link(sql: Sql, l: { issuer: string; subject: string; userId: string; linkedBy: string; at: string }) {
    await sql.exec(
      'INSERT INTO user_identities (issuer, subject, user_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)',
      [l.issuer, l.subject, l.userId, l.linkedBy, l.at],
    );
  },
  unlink: (sql: Sql, userId: string, issuer: string) =>
    sql.exec('DELETE FROM user_identities WHERE user_id = ? AND issuer = ?', [userId, issuer]),

  async insertRequest(sql: Sql, stateHash: string, r: OidcRequest, at: string): Promise<void> {
    // Abandoned requests go when new ones arrive: the table holds minutes of traffic at most.
    await sql.exec('DELETE FROM oidc_requests WHERE expires_at < ?', [at]);
    await sql.exec(
      'INSERT INTO oidc_requests (state_hash, purpose, nonce, code_verifier, user_id, session_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [stateHash, r.purpose, r.nonce, r.codeVerifier, r.userId, r.sessionId, at, r.expiresAt],
    );
  },
  /** Reads and deletes in one go: a state is good for one callback. */
  async takeRequest(sql: Sql, stateHash: string): Promise<OidcRequest | null> {
    const found = await sql.one('SELECT * FROM oidc_requests WHERE state_hash = ?', [stateHash], toRequest);
    if (found) await sql.exec('DELETE FROM oidc_requests WHERE state_hash = ?', [stateHash]);
    return found;
  },

  async insertHandoff(sql: Sql, codeHash: string, h: Omit<OidcHandoff, 'usedAt'>, at: string): Promise<void> {
    await sql.exec('DELETE FROM oidc_handoffs WHERE expires_at < ?', [at]);
    await sql.exec(
      'INSERT INTO oidc_handoffs (code_hash, kind, user_id, session_id, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [codeHash, h.kind, h.userId, h.sessionId, h.authTime, at, h.expiresAt],
    );
  },
  /** Marks the code used and returns it as it was (used_at null on the first use only). */
  async useHandoff(sql: Sql, codeHash: string, at: string): Promise<OidcHandoff | null> {
    const found = await sql.one('SELECT * FROM oidc_handoffs WHERE code_hash = ?', [codeHash], toHandoff);
    if (found && !found.usedAt)
      await sql.exec('UPDATE oidc_handoffs SET used_at = ? WHERE code_hash = ? AND used_at IS NULL', [at, codeHash]);
    return found;
  },
};
