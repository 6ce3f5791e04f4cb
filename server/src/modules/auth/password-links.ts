/**
 * One-time set-password links (issue 11, Build 5): an administrator never chooses or learns another
 * person's password. A new account or a reset gets a random 256-bit token, e-mailed to the user's own
 * address through the outbox (never in an API response, never in the audit trail); only its SHA-256
 * is stored. A link expires after 72 hours, works once, and a newer link revokes the older ones.
 */
import { translate, type MessageParams } from '../../../../shared/i18n/catalogue.js';
import { recipientLocale } from '../accounts/locale.js';
import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { asStr, asStrOrNull } from '../../database/sql.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { SessionsRepository } from './sessions.repository.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { MailOutbox } from '../notifications/mail-outbox.js';
import type { PasswordLinkIssued } from '../../../../shared/contract.js';
import type { UserRecord } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';

const LINK_HOURS = 72;
/** Stored as the password hash of an account whose owner has not set a password yet: argon2 rejects it, so no password matches. */
export const NO_PASSWORD = '!unset';
export type LinkPurpose = 'new-account' | 'reset';

interface TokenRow {
  id: string;
  userId: string;
  purpose: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

const toRow = (r: Record<string, unknown>): TokenRow => ({
  id: asStr(r.id),
  userId: asStr(r.user_id),
  purpose: asStr(r.purpose),
  expiresAt: asStr(r.expires_at),
  usedAt: asStrOrNull(r.used_at),
  revokedAt: asStrOrNull(r.revoked_at),
});

const INVALID_LINK =
  'This set-password link is not valid: it may have expired, been used already, or been replaced by a newer one. Ask an administrator for a new link.';

@Injectable()
export class PasswordLinks {
  private readonly logger = new Logger('PasswordLinks');

  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: MailOutbox,
  ) {}

  /**
   * Issues a link inside the caller's transaction and queues its e-mail to the user. Earlier unused
   * links of the user are revoked. The token leaves the server only in that e-mail.
   */
  async issue(tx: WriteTx, user: UserRecord, purpose: LinkPurpose, requestedBy: string): Promise<PasswordLinkIssued> {
    if (!user.email)
      throw new DomainError(
        'VALIDATION_FAILED',
        `The user "${user.username}" has no e-mail address: add one so the set-password link can reach them.`,
      );
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.parse(tx.now) + LINK_HOURS * 3600_000).toISOString();
    await tx.sql.exec(
      'UPDATE password_tokens SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL',
      [tx.now, user.id],
    );
    const id = randomUUID();
    await tx.sql.exec(
      'INSERT INTO password_tokens (id, user_id, token_hash, purpose, requested_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, user.id, sha256Hex(token), purpose, requestedBy, tx.now, expiresAt],
    );
    const link = `${this.db.config.publicUrl}/set-password?token=${token}`;
    // In the new user's language (their own, else their site's): the e-mail is their first contact with the tool.
    const locale = await recipientLocale(tx.sql, user, this.db.config.defaultLocale);
    const tr = (key: string, params?: MessageParams) => translate(locale, key, params);
    const what = tr(purpose === 'new-account' ? 'emails.accountCreated' : 'emails.resetRequested', {
      username: user.username,
    });
    await this.outbox.queue(tx, {
      notificationId: null,
      to: user.email,
      subject: tr('emails.subject', { title: tr('emails.setPasswordSubject') }),
      text: `${what}\n\n${tr('emails.setPasswordHere', { count: LINK_HOURS })}\n${link}\n\n${tr('emails.notExpected')}\n`,
    });
    if (!this.outbox.enabled)
      this.logger.warn(
        `SMTP_URL is not set: the set-password link for ${user.username} cannot be e-mailed; issue one with the CLI (user password-link).`,
      );
    tx.audit({
      action: 'user.password_link_issued',
      entityType: 'user',
      entityId: user.id,
      details: { purpose, linkId: id, expiresAt, emailed: this.outbox.enabled },
    });
    // Told to the admin too, so the console does not claim an e-mail that was never sent.
    return { emailed: this.outbox.enabled, expiresAt };
  }

  /** Sets the password from a link. Unknown, expired, used and revoked links all get the same answer. */
  async consume(token: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem);
    const hash = sha256Hex(token);
    const passwordHash = await hashPassword(password);
    await this.db.instanceWrite(SYSTEM_ACTOR, async (tx) => {
      const row = await tx.sql.one('SELECT * FROM password_tokens WHERE token_hash = ?', [hash], toRow);
      const user = row ? await UsersRepository.findById(tx.sql, row.userId) : null;
      if (!row || !user || row.usedAt || row.revokedAt || tx.now >= row.expiresAt || !user.active)
        throw new DomainError('VALIDATION_FAILED', INVALID_LINK);
      await tx.sql.exec('UPDATE password_tokens SET used_at = ? WHERE id = ?', [tx.now, row.id]);
      await UsersRepository.update(tx.sql, {
        ...user,
        passwordHash,
        failedAttempts: 0,
        lockedAt: null,
        updatedAt: tx.now,
      });
      await SessionsRepository.revokeAllForUser(tx.sql, user.id, tx.now);
      tx.audit({
        action: 'user.password_set',
        entityType: 'user',
        entityId: user.id,
        reason: 'set by the user from a one-time link',
        details: { linkId: row.id, purpose: row.purpose, username: user.username },
      });
    });
  }

  /** For the operator's CLI (someone with the database, not an administrator in the console): a fresh link, printed. */
  async issueForCli(username: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.instanceWrite({ ...SYSTEM_ACTOR, username: 'cli' }, async (tx) => {
      const user = await UsersRepository.findByUsername(tx.sql, username);
      if (!user || !user.active) throw new DomainError('NOT_FOUND', `No active user named "${username}".`);
      const expiresAt = new Date(Date.parse(tx.now) + LINK_HOURS * 3600_000).toISOString();
      await tx.sql.exec(
        'UPDATE password_tokens SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL',
        [tx.now, user.id],
      );
      const id = randomUUID();
      await tx.sql.exec(
        'INSERT INTO password_tokens (id, user_id, token_hash, purpose, requested_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, user.id, sha256Hex(token), 'reset', 'cli', tx.now, expiresAt],
      );
      tx.audit({
        action: 'user.password_link_issued',
        entityType: 'user',
        entityId: user.id,
        details: { purpose: 'reset', linkId: id, expiresAt, emailed: false, via: 'cli' },
      });
    });
    return `${this.db.config.publicUrl}/set-password?token=${token}`;
  }
}
