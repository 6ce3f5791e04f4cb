/**
 * The second factor of local accounts (issue 16): TOTP enrolment (secret shown once, active only
 * once a current code confirms it), ten single-use recovery codes shown once, the check of a code
 * at sign-in and at signature time (never the same step twice), and the administrator's reset.
 * Secrets and recovery codes are never logged nor audited; the audit trail says what happened to whom.
 */
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { RecoveryCodesView, SecondFactorEnrolment, SecondFactorState } from '../../../../shared/contract.js';
import { requiresSecondFactor, type Role } from '../../../../shared/roles.js';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { SYSTEM_ACTOR } from '../../common/system-actor.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { SessionsRepository } from './sessions.repository.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { SecondFactorKey } from './second-factor-key.js';
import { SecondFactorRepository } from './second-factor.repository.js';
import { matchTotp, otpauthUri, totpStep, base32Encode } from './totp.js';
import { totpReplayPolicy } from './totp-replay.js';

const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'blindrand';

/** What the second-factor state depends on besides the account: the session it is read for. */
export interface SessionContext {
  fullSignatureAt?: string | null;
  /** Opened through the identity provider: its second factor is the provider's, none is required here. */
  viaProvider?: boolean;
}

/** How a code was accepted; `recoveryCodesRemaining` is set when a recovery code was used. */
export interface CodeAccepted {
  method: 'totp' | 'recovery';
  recoveryCodesRemaining?: number;
}

/** A recovery code: 10 base32 characters (50 bits) shown as two groups of five. */
function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${text.slice(0, 5)}-${text.slice(5)}`;
}

@Injectable()
export class SecondFactorService {
  private keyCache: SecondFactorKey | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  private key(): SecondFactorKey {
    this.keyCache ??= SecondFactorKey.loadOrCreate(SecondFactorKey.pathFor(this.db.config.signingKeyPath));
    return this.keyCache;
  }

  /** Whether the user has a confirmed second factor. */
  static async enrolled(sql: Sql, userId: string): Promise<boolean> {
    const row = await SecondFactorRepository.find(sql, userId);
    return row !== null && row.confirmedAt !== null;
  }

  /** The state /auth/me and the sign-in answer carry. */
  async state(sql: Sql, user: { id: string; role: Role }, session: SessionContext): Promise<SecondFactorState> {
    const enrolled = await SecondFactorService.enrolled(sql, user.id);
    // A role held in any study counts (the study guard refuses that study's routes until the account enrols).
    const studyRoles = (await StudyRolesRepository.liveForUser(sql, user.id)).map((r) => r.role);
    return {
      required: [user.role, ...studyRoles].some(requiresSecondFactor) && !session.viaProvider,
      enrolled,
      signatureNeedsCode: enrolled && !session.viaProvider && !session.fullSignatureAt,
      recoveryCodesRemaining: enrolled ? await SecondFactorRepository.unusedRecoveryCodes(sql, user.id) : 0,
    };
  }

  /** POST /auth/second-factor/enrol: a new secret, not active until confirmed. */
  async begin(viewer: Viewer): Promise<SecondFactorEnrolment> {
    const secret = randomBytes(20);
    await this.db.instanceWrite(actorOf(viewer), async (tx) => {
      if (await SecondFactorService.enrolled(tx.sql, viewer.userId))
        throw new DomainError(
          'CONFLICT',
          'Your second factor is already set up. To change it, ask an administrator to reset it.',
        );
      await SecondFactorRepository.startEnrolment(
        tx.sql,
        viewer.userId,
        this.key().seal(secret, viewer.userId),
        tx.now,
      );
      tx.audit({ action: 'user.second_factor_enrolment_started', entityType: 'user', entityId: viewer.userId });
    });
    const uri = otpauthUri(secret, ISSUER, viewer.username);
    return { secret: base32Encode(secret), otpauthUri: uri, qrCode: await QRCode.toDataURL(uri, { margin: 2 }) };
  }

  /** POST /auth/second-factor/confirm: a current code activates the secret; the recovery codes are returned once. */
  async confirm(viewer: Viewer, code: string): Promise<RecoveryCodesView> {
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.db.instanceWrite(actorOf(viewer), async (tx) => {
      const row = await SecondFactorRepository.find(tx.sql, viewer.userId);
      if (!row || row.confirmedAt !== null)
        throw new DomainError(
          'CONFLICT',
          row ? 'Your second factor is already set up.' : 'Start the set-up first: no secret is waiting for a code.',
        );
      const secret = this.key().open(row.secretSealed, viewer.userId);
      const step = secret ? matchTotp(secret, code.trim(), this.clock.now().getTime(), null) : null;
      if (step === null)
        throw new DomainError(
          'VALIDATION_FAILED',
          'The code does not match: check the clock of your phone and type the code your app shows now.',
        );
      await SecondFactorRepository.confirm(tx.sql, viewer.userId, step, tx.now);
      const key = this.key();
      const hashes = recoveryCodes.map((c) => key.hashRecoveryCode(c, viewer.userId));
      await SecondFactorRepository.replaceRecoveryCodes(tx.sql, viewer.userId, hashes);
      tx.audit({
        action: 'user.second_factor_enrolled',
        entityType: 'user',
        entityId: viewer.userId,
        details: { method: 'totp', recoveryCodes: RECOVERY_CODE_COUNT },
      });
    });
    return { recoveryCodes };
  }

  /**
   * Checks and uses a code (TOTP or recovery code) inside the caller's write transaction: null when
   * it is wrong, already used, or the user has no confirmed second factor. A TOTP step at or before
   * the last accepted one is refused (replay), unless the test-only switch allows it (totp-replay.ts).
   */
  async use(tx: WriteTx, userId: string, code: string): Promise<CodeAccepted | null> {
    const row = await SecondFactorRepository.find(tx.sql, userId);
    if (!row || row.confirmedAt === null) return null;
    const typed = code.trim();
    if (/^\d{6}$/.test(typed)) {
      const secret = this.key().open(row.secretSealed, userId);
      if (!secret) return null;
      const strict = !totpReplayPolicy().allowReplay;
      const now = this.clock.now().getTime();
      const step = matchTotp(secret, typed, now, strict ? row.lastStep : null);
      if (step === null) return null;
      const recorded = await SecondFactorRepository.acceptStep(
        tx.sql,
        userId,
        Math.max(step, row.lastStep ?? step),
        strict,
      );
      return recorded ? { method: 'totp' } : null;
    }
    const used = await SecondFactorRepository.useRecoveryCode(
      tx.sql,
      userId,
      this.key().hashRecoveryCode(typed, userId),
      tx.now,
    );
    if (!used) return null;
    const recoveryCodesRemaining = await SecondFactorRepository.unusedRecoveryCodes(tx.sql, userId);
    tx.audit({
      action: 'user.recovery_code_used',
      entityType: 'user',
      entityId: userId,
      details: { recoveryCodesRemaining },
    });
    return { method: 'recovery', recoveryCodesRemaining };
  }

  /**
   * An administrator removes someone's second factor (lost phone): audited with the reason; the
   * person's sessions end and they enrol again at their next sign-in. Never one's own.
   */
  async reset(viewer: Viewer, userId: string, reason: string): Promise<void> {
    if (userId === viewer.userId)
      throw new DomainError('FORBIDDEN', 'You cannot reset your own second factor: another administrator must do it.');
    await this.db.instanceWrite(actorOf(viewer), async (tx) => {
      const row = await tx.sql.one('SELECT id FROM users WHERE id = ?', [userId]);
      if (!row) throw new DomainError('NOT_FOUND', 'The user was not found.');
      const had = await SecondFactorRepository.find(tx.sql, userId);
      if (!had) throw new DomainError('VALIDATION_FAILED', 'This user has no second factor to reset.');
      await removeFactor(tx, userId, Boolean(had.confirmedAt), reason, false);
    });
  }

  /**
   * `user reset-second-factors` (the key file is lost): removes every second factor and recovery code,
   * ends the sessions of their owners (audited per person, with the reason); each enrols again at the
   * next sign-in, under a new key. Answers how many were removed.
   */
  async resetAllForLostKey(reason: string): Promise<number> {
    return this.db.instanceWrite({ ...SYSTEM_ACTOR, username: 'cli' }, async (tx) => {
      const rows = await tx.sql.all<Record<string, unknown>>('SELECT user_id, confirmed_at FROM second_factors');
      for (const row of rows) {
        await removeFactor(tx, String(row.user_id), Boolean(row.confirmed_at), reason, true);
      }
      return rows.length;
    });
  }

  /** Seeds a confirmed factor with a known secret (the demo accounts only; demo-seed.ts). */
  async seed(tx: WriteTx, userId: string, secret: Buffer): Promise<void> {
    await SecondFactorRepository.startEnrolment(tx.sql, userId, this.key().seal(secret, userId), tx.now);
    await SecondFactorRepository.confirm(tx.sql, userId, totpStep(0), tx.now);
    tx.audit({
      action: 'user.second_factor_enrolled',
      entityType: 'user',
      entityId: userId,
      reason: 'demo data: the documented demo-only secret',
      details: { method: 'totp', recoveryCodes: 0 },
    });
  }
}

/**
 * One person's second factor removed (an administrator's reset, or every factor after the key file was lost): the
 * factor and its recovery codes go, the person's sessions end, and the audit trail says from what state and why.
 */
async function removeFactor(tx: WriteTx, userId: string, wasConfirmed: boolean, reason: string, keyLost: boolean) {
  await SecondFactorRepository.remove(tx.sql, userId);
  await SessionsRepository.revokeAllForUser(tx.sql, userId, tx.now);
  tx.audit({
    action: 'user.second_factor_reset',
    entityType: 'user',
    entityId: userId,
    reason: reason.trim(),
    details: {
      ...(keyLost ? { keyLost: true } : {}),
      changes: { secondFactor: { old: wasConfirmed ? 'enrolled' : 'pending', new: 'none' } },
    },
  });
}
