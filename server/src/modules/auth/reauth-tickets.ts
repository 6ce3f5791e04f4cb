/**
 * The single-use ticket a fresh login at the identity provider yields (oidc/oidc.service.ts reauthenticated):
 * what an account signed in through the provider signs with instead of a password (issue 16 Build 5,
 * 21 CFR 11.200(a)). Good once, for the person and the session that asked for it, while the provider's
 * auth_time is at most OIDC_REAUTH_MAX_AGE_SECONDS old. Spent in its own write, like a TOTP code: a
 * signature that then fails does not leave it reusable.
 */
import { Injectable } from '@nestjs/common';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { DatabaseService } from '../../database/database.service.js';
import { asStr, asStrOrNull } from '../../database/sql.js';

@Injectable()
export class ReauthTickets {
  constructor(private readonly db: DatabaseService) {}

  /**
   * True when the ticket was good (and is now spent); false for a missing, foreign, used or stale one,
   * which is audited as a failed signature (not counted toward the lock: a ticket cannot be guessed).
   */
  async use(viewer: Viewer, ticket: string): Promise<boolean> {
    const maxAge = this.db.config.oidc?.reauthMaxAgeSeconds ?? 0;
    const hash = sha256Hex(String(ticket).slice(0, 128));
    const refused = await this.db.instanceWrite(
      actorOf(viewer),
      async (tx) => {
        // Here rather than in oidc/oidc.repository.ts: signatures need it, and the oidc folder depends on signatures.
        const row = await tx.sql.one('SELECT * FROM oidc_handoffs WHERE code_hash = ?', [hash], (r) => ({
          kind: asStr(r.kind),
          userId: asStr(r.user_id),
          sessionId: asStrOrNull(r.session_id),
          authTime: asStrOrNull(r.auth_time),
          expiresAt: asStr(r.expires_at),
          usedAt: asStrOrNull(r.used_at),
        }));
        if (row && !row.usedAt)
          await tx.sql.exec('UPDATE oidc_handoffs SET used_at = ? WHERE code_hash = ? AND used_at IS NULL', [
            tx.now,
            hash,
          ]);
        const now = Date.parse(tx.now);
        const problem =
          !row || row.kind !== 'reauth'
            ? 'unknown ticket'
            : row.usedAt
              ? 'ticket already used'
              : row.userId !== viewer.userId || row.sessionId !== viewer.sessionId
                ? 'ticket of another person or session'
                : Date.parse(row.expiresAt) <= now || !row.authTime || now - Date.parse(row.authTime) > maxAge * 1000
                  ? 'the login at the provider is too old'
                  : null;
        if (problem)
          tx.audit({
            action: 'signature.failed',
            entityType: 'user',
            entityId: viewer.userId,
            reason: problem,
            details: { via: 'identity provider' },
          });
        return problem;
      },
      { unaudited: 'single-use re-authentication ticket spent (the signature it allows is audited)' },
    );
    return refused === null;
  }
}
