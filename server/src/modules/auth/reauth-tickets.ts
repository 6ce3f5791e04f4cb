/**
 * The single-use ticket a fresh login at the identity provider yields (oidc/oidc.service.ts reauthenticated):
 * what an account signed in through the provider signs with instead of a password (issue 16 Build 5,
 * 21 CFR 11.200(a)). Good once, for the person and the session that asked for it, while the provider's
 * auth_time is at most OIDC_REAUTH_MAX_AGE_SECONDS old. Spent in its own write, like a TOTP code: a
 * signature that then fails does not leave it reusable.
 */
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { SYSTEM_ACTOR, type Viewer } from '../../common/viewer.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { DatabaseService } from '../../database/database.service.js';
import { asStr, asStrOrNull } from '../../database/sql.js';

@Injectable()
export class ReauthTickets {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** True when the ticket was good (and is now spent); false for a missing, foreign, used or stale one. */
  async use(viewer: Pick<Viewer, 'userId' | 'sessionId'>, ticket: string): Promise<boolean> {
    const maxAge = this.db.config.oidc?.reauthMaxAgeSeconds;
    if (!maxAge || !ticket || ticket.length > 128) return false;
    const found = await this.db.withWriteTransaction(
      SYSTEM_ACTOR,
      async (tx) => {
        // Here rather than in oidc/oidc.repository.ts: signatures need it, and the oidc folder depends on signatures.
        const hash = sha256Hex(ticket);
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
        return row;
      },
      { unaudited: 'single-use re-authentication ticket spent (the signature it allows is audited)' },
    );
    const now = this.clock.now().getTime();
    return (
      found !== null &&
      found.usedAt === null &&
      found.kind === 'reauth' &&
      found.userId === viewer.userId &&
      found.sessionId === viewer.sessionId &&
      Date.parse(found.expiresAt) > now &&
      found.authTime !== null &&
      now - Date.parse(found.authTime) <= maxAge * 1000
    );
  }
}
