/**
 * Sign-in, sessions and lockout. Tokens are opaque random strings; only their SHA-256 is stored,
 * so a tampered, forged or `alg: none` token simply matches no session. A session ends after 30
 * minutes idle or 12 hours in all (configurable), or when revoked at logout.
 */
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { LoginResponse, UserView } from '../../../../shared/contract.js';
import type { Locale } from '../../../../shared/i18n/catalogue.js';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { SYSTEM_ACTOR, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { toUserView, type UserRecord } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { recipientLocale } from '../accounts/locale.js';
import type { Sql } from '../../database/sql.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { UnknownNameFailures } from './unknown-name-failures.js';
import { LastStudy } from './last-study.js';
import { SecondFactorService, type CodeAccepted, type SessionContext } from './second-factor.service.js';
import { requiresSecondFactor } from '../../../../shared/roles.js';

const INVALID_CREDENTIALS = 'The username or password is not correct.';
/** A wrong or used second-factor code gets the same answer as a wrong password (issue 16). */
const INVALID_CODE = 'The username, password or code is not correct.';
const LOCKED = 'Too many failed sign-in attempts: the account is locked. An administrator can unlock it.';
/**
 * How stale last_seen_at may get before a request refreshes it: the idle limit is measured from
 * last_seen_at, so a session ends at most this much before its exact idle deadline (was 60 s).
 * One heartbeat write per active session every few seconds is cheap next to the requests it serves.
 */
const TOUCH_AFTER_MS = 5_000;

const sessionContext = (viewer: Viewer): SessionContext => ({
  fullSignatureAt: viewer.fullSignatureAt ?? null,
  viaProvider: viewer.viaProvider === true,
});

/** Rolls the sign-in back when the second-factor code is refused (the failure is counted after). */
export class CodeRefused extends Error {}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly secondFactor: SecondFactorService,
  ) {}

  async login(username: string, password: string, code?: string): Promise<LoginResponse> {
    const user = await this.db.read((sql) => UsersRepository.findByUsername(sql, username));
    if (!user || !user.active) {
      await verifyAgainstDummy(password);
      if (await this.unknownNameLocked(username)) throw new DomainError('TOO_MANY_ATTEMPTS', LOCKED);
      const attemptsRemaining = await this.recordUnknownFailure(username);
      if (attemptsRemaining === 0) throw new DomainError('TOO_MANY_ATTEMPTS', LOCKED);
      throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS, { attemptsRemaining });
    }
    const ok = await verifyPassword(user.passwordHash, password);
    if (user.lockedAt) throw new DomainError('TOO_MANY_ATTEMPTS', LOCKED);
    if (!ok) {
      const attemptsRemaining = await this.recordFailure(user, 'auth.login_failed');
      throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS, { attemptsRemaining });
    }
    // An account with a second factor gives its code too; without one, the person is asked for it (nothing counted).
    const enrolled = await this.db.read((sql) => SecondFactorService.enrolled(sql, user.id));
    if (enrolled && !code)
      throw new DomainError('UNAUTHENTICATED', 'Enter the code from your authenticator app.', {
        secondFactor: 'required',
      });
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.db.config.session.absoluteSeconds * 1000).toISOString();
    let accepted: CodeAccepted | null = null;
    const started = await this.db
      .instanceWrite({ userId: user.id, username: user.username, role: user.role }, async (tx) => {
        if (enrolled) {
          accepted = await this.secondFactor.use(tx, user.id, code ?? '');
          if (!accepted) throw new CodeRefused();
        }
        const sessionId = await SessionsRepository.open(tx.sql, { token, userId: user.id, now: tx.now, expiresAt });
        if (user.failedAttempts > 0)
          await UsersRepository.update(tx.sql, { ...user, failedAttempts: 0, updatedAt: tx.now });
        tx.audit({
          action: 'auth.login',
          entityType: 'session',
          entityId: sessionId,
          details: { userId: user.id, ...(accepted ? { secondFactor: accepted.method } : {}) },
        });
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof CodeRefused) return false;
        throw err;
      });
    if (!started) {
      const attemptsRemaining = await this.recordFailure(user, 'auth.login_failed', { factor: 'second' });
      throw new DomainError('UNAUTHENTICATED', INVALID_CODE, { attemptsRemaining });
    }
    const view = await this.db.read((sql) => this.sessionUser(sql, user));
    const remaining = (accepted as CodeAccepted | null)?.recoveryCodesRemaining;
    return {
      accessToken: token,
      expiresAt,
      idleTimeoutSeconds: this.db.config.session.idleSeconds,
      user: view,
      ...(remaining !== undefined ? { recoveryCodesRemaining: remaining } : {}),
    };
  }

  /** The signed-in person as the console needs them: with the language it should speak (theirs, their site's, or the default). */
  async sessionUser(sql: Sql, user: UserRecord, session: SessionContext = {}): Promise<UserView> {
    return {
      ...toUserView(user),
      locale: await recipientLocale(sql, user, this.db.config.defaultLocale),
      preferredLocale: user.locale,
      secondFactor: await this.secondFactor.state(sql, user, session),
      lastStudyCode: await LastStudy.code(sql, user.id),
    };
  }

  /**
   * PUT /auth/me/last-study: the study the console opens next time. A study the person holds no role in
   * gets the study guard's 404 (same text whether it exists or not). A navigation preference, not a record
   * of the trial: written without an audit entry, like a session's "last seen" (an entry would also tell the
   * readers of one study's chain which other studies a person opens).
   */
  async setLastStudy(viewer: Viewer, studyCode: string): Promise<void> {
    await this.db.withWriteTransaction(
      { userId: viewer.userId, username: viewer.username, role: viewer.role },
      async (tx) => {
        const studyId = await LastStudy.memberStudyId(tx.sql, viewer.userId, studyCode);
        if (studyId === null)
          throw new DomainError(
            'NOT_FOUND',
            `No study "${studyCode.slice(0, 64)}" was found among the studies you take part in.`,
          );
        await LastStudy.remember(tx.sql, viewer.userId, studyId);
      },
      { unaudited: 'the study the console opens next: a navigation preference' },
    );
  }

  /** GET /auth/me: read again so that a language changed elsewhere (admin, another tab) is seen. */
  async me(viewer: Viewer): Promise<UserView> {
    return this.db.read(async (sql) => {
      const user = await UsersRepository.findById(sql, viewer.userId);
      if (!user)
        throw new DomainError('UNAUTHENTICATED', 'Sign in to continue: the session is missing, expired or revoked.');
      return this.sessionUser(sql, user, sessionContext(viewer));
    });
  }

  /** PATCH /auth/me: a person chooses their own language (null: back to their site's). Audited like any profile change. */
  async setLocale(viewer: Viewer, locale: Locale | null): Promise<UserView> {
    return this.db.instanceWrite(
      { userId: viewer.userId, username: viewer.username, role: viewer.role },
      async (tx) => {
        const before = await UsersRepository.findById(tx.sql, viewer.userId);
        if (!before)
          throw new DomainError('UNAUTHENTICATED', 'Sign in to continue: the session is missing, expired or revoked.');
        if (before.locale !== locale) {
          // Re-read inside the write: only the locale changes, whatever else happened since sign-in.
          await UsersRepository.update(tx.sql, { ...before, locale, updatedAt: tx.now });
          tx.audit({
            action: 'user.updated',
            entityType: 'user',
            entityId: viewer.userId,
            details: { changes: { locale: { old: before.locale, new: locale } } },
          });
        }
        return this.sessionUser(tx.sql, { ...before, locale }, sessionContext(viewer));
      },
    );
  }

  /**
   * Counts a failed password (sign-in or signature); the threshold-th consecutive failure locks the
   * account. Runs in its own transaction so the count survives the caller's rollback. Returns how many
   * failures remain before the lock (0 when locked), for the person to be told (issue 15: "4 attempts remain").
   * An unknown name counts the same way (recordUnknownFailure), so the number reveals nothing about which names exist.
   */
  async recordFailure(
    user: UserRecord,
    action: 'auth.login_failed' | 'signature.failed',
    options: { quiet?: boolean; factor?: 'second' } = {},
  ): Promise<number> {
    const threshold = this.db.config.lockoutThreshold;
    const failedAttempts = await this.db.instanceWrite(
      { userId: user.id, username: user.username, role: user.role },
      async (tx) => {
        const current = await UsersRepository.findById(tx.sql, user.id);
        if (!current) throw new Error('user vanished during a failed sign-in');
        const failedAttempts = current.failedAttempts + 1;
        const lock = failedAttempts >= threshold && !current.lockedAt;
        await UsersRepository.update(tx.sql, {
          ...current,
          failedAttempts,
          lockedAt: lock ? tx.now : current.lockedAt,
          updatedAt: tx.now,
        });
        // Which factor failed is recorded, never what was typed.
        const factor = options.factor ? { factor: options.factor } : {};
        tx.audit({ action, entityType: 'user', entityId: user.id, details: { failedAttempts, ...factor } });
        if (lock) {
          await SessionsRepository.revokeAllForUser(tx.sql, user.id, tx.now);
          tx.audit({
            action: 'user.locked',
            entityType: 'user',
            entityId: user.id,
            reason: `${failedAttempts} consecutive failed password attempts`,
            details: { changes: { locked: { old: false, new: true } } },
          });
        }
        return failedAttempts;
      },
    );
    if (failedAttempts >= threshold && !options.quiet) throw new DomainError('TOO_MANY_ATTEMPTS', LOCKED);
    return Math.max(0, threshold - failedAttempts);
  }

  /** True when an unknown (or disabled) username has used up its failures, like a locked account. */
  async unknownNameLocked(username: string): Promise<boolean> {
    const row = await this.db.read((sql) => UnknownNameFailures.find(sql, username));
    return row !== null && row.failedAttempts >= this.db.config.lockoutThreshold;
  }

  /**
   * Counts a failure for a username with no active account, in the database (shared by every
   * instance, kept across restarts), so an invented name locks after exactly as many failures as a
   * real one and the answers cannot tell them apart. Returns the failures left before the threshold (0: reached).
   */
  async recordUnknownFailure(
    username: string,
    action: 'auth.login_failed' | 'signature.failed' = 'auth.login_failed',
  ): Promise<number> {
    const name = username.slice(0, 64);
    const failedAttempts = await this.db.instanceWrite(SYSTEM_ACTOR, async (tx) => {
      const count = await UnknownNameFailures.increment(tx.sql, name, tx.now);
      tx.audit({
        action,
        entityType: 'user',
        entityId: null,
        details: { username: name, knownUser: false, failedAttempts: count },
      });
      return count;
    });
    return Math.max(0, this.db.config.lockoutThreshold - failedAttempts);
  }

  /** Resolves a bearer token to the signed-in viewer, or throws UNAUTHENTICATED. */
  async authenticate(token: string | undefined): Promise<Viewer> {
    // Made only when refused: an error captures a stack trace, which every signed-in request paid for (issue 14).
    const unauthenticated = () =>
      new DomainError('UNAUTHENTICATED', 'Sign in to continue: the session is missing, expired or revoked.');
    if (!token || token.length > 200) throw unauthenticated();
    const found = await this.db.read(async (sql) => {
      const session = await SessionsRepository.findByTokenHash(sql, sha256Hex(token));
      const user = session ? await UsersRepository.findById(sql, session.userId) : null;
      const enrolled = session && user ? await SecondFactorService.enrolled(sql, user.id) : false;
      return session && user ? { session, user, enrolled } : null;
    });
    if (!found) throw unauthenticated();
    const { session, user, enrolled } = found;
    const now = this.clock.now().getTime();
    const idleLimit = Date.parse(session.lastSeenAt) + this.db.config.session.idleSeconds * 1000;
    if (session.revokedAt || now >= Date.parse(session.expiresAt) || now >= idleLimit || !user.active || user.lockedAt)
      throw unauthenticated();
    if (now - Date.parse(session.lastSeenAt) > TOUCH_AFTER_MS) {
      // Best effort: a busy database must not fail the request over a heartbeat, nor hold a read up
      // while another process holds the SQLite lock (waitMs: give up at once when the lock is foreign).
      await this.db
        .instanceWrite(SYSTEM_ACTOR, (tx) => SessionsRepository.touch(tx.sql, session.id, tx.now), {
          unaudited: 'session heartbeat',
          waitMs: 0,
        })
        .catch(() => undefined);
    }
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      siteCodes: user.siteCodes,
      sessionId: session.id,
      // A session opened through the identity provider has the provider's second factor.
      enrolmentOnly: requiresSecondFactor(user.role) && !enrolled && session.via !== 'oidc',
      fullSignatureAt: session.fullSignatureAt,
      viaProvider: session.via === 'oidc',
      secondFactorEnrolled: enrolled,
    };
  }

  async logout(viewer: Viewer): Promise<void> {
    await this.db.instanceWrite({ userId: viewer.userId, username: viewer.username, role: viewer.role }, async (tx) => {
      await SessionsRepository.revoke(tx.sql, viewer.sessionId, tx.now);
      tx.audit({ action: 'auth.logout', entityType: 'session', entityId: viewer.sessionId });
    });
  }
}
