/**
 * The single-use ticket a fresh login at the identity provider yields (oidc.service.ts reauthenticated):
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
import { OidcRepository } from './oidc.repository.js';

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
      (tx) => OidcRepository.useHandoff(tx.sql, sha256Hex(ticket), tx.now),
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
