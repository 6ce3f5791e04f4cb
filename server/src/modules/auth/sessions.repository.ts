import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { asStr, asStrOrNull, type Sql } from '../../database/sql.js';

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** When this session's first full signature (password + code) was made; null before it. */
  fullSignatureAt?: string | null;
  /** 'oidc' when opened through the identity provider (its second factor is the provider's); null: a password sign-in. */
  via?: string | null;
}

const toSession = (r: Record<string, unknown>): SessionRecord => ({
  id: asStr(r.id),
  userId: asStr(r.user_id),
  createdAt: asStr(r.created_at),
  lastSeenAt: asStr(r.last_seen_at),
  expiresAt: asStr(r.expires_at),
  revokedAt: asStrOrNull(r.revoked_at),
  fullSignatureAt: asStrOrNull(r.full_signature_at),
  via: asStrOrNull(r.via),
});

export const SessionsRepository = {
  findByTokenHash: (sql: Sql, tokenHash: string) =>
    sql.one('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash], toSession),

  /**
   * Opens a session for a bearer token made by the caller (only its SHA-256 is stored); the one way a
   * password sign-in and a sign-in through the identity provider create sessions. Returns its id.
   */
  async open(
    sql: Sql,
    s: { token: string; userId: string; now: string; expiresAt: string; via?: 'oidc' },
  ): Promise<string> {
    const id = randomUUID();
    await sql.exec(
      'INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, revoked_at, via) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
      [id, sha256Hex(s.token), s.userId, s.now, s.now, s.expiresAt, s.via ?? null],
    );
    return id;
  },

  touch: (sql: Sql, id: string, at: string) => sql.exec('UPDATE sessions SET last_seen_at = ? WHERE id = ?', [at, id]),
  revoke: (sql: Sql, id: string, at: string) =>
    sql.exec('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]),
  /** The first full signature of the session (21 CFR 11.200(a)(1)); later ones keep the first time. */
  markFullSignature: (sql: Sql, id: string, at: string) =>
    sql.exec('UPDATE sessions SET full_signature_at = ? WHERE id = ? AND full_signature_at IS NULL', [at, id]),
  revokeAllForUser: (sql: Sql, userId: string, at: string) =>
    sql.exec('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId]),
};
