/**
 * Electronic signatures (21 CFR 11.50, 11.70, 11.200): the signer re-enters the password (and, for the
 * first signature of a session or a co-signature, the second-factor code: signer-verification.ts); the
 * record stores signer, printed name, meaning, UTC time and the SHA-256 of the signed record, and
 * a seal (Ed25519 over all of these, with the key kept outside the database). A signature copied
 * onto another record fails verification: the seal binds the record's type, id and content hash.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import type { SignatureInput, SignatureManifest, SignatureView } from '../../../../shared/contract.js';
import { DomainError } from '../../common/domain-error.js';
import type { Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { asStr, type Sql } from '../../database/sql.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { KeyRing, readRotationRecords } from '../../database/audit/key-ring.js';
import { SigningKey } from '../../database/audit/signing-key.js';
import { AuthService, CodeRefused } from '../auth/auth.service.js';
import { SecondFactorService } from '../auth/second-factor.service.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { signatureNeeds } from '../auth/signer-verification.js';
import { requiresSecondFactor, type Role } from '../../../../shared/roles.js';
import { verifyAgainstDummy, verifyPassword } from '../auth/passwords.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { ReauthTickets } from '../auth/reauth-tickets.js';
import { verify as edVerify } from 'node:crypto';
import { SIGNED_RECORD_LOADERS, type ContentLoader } from './signed-records.js';
import { sealMessage } from './seal-message.js';
import { SIGNATURE_MEANINGS, type SignedAct } from '../../../../shared/signature-meanings.js';

/** Proof that the signer re-authenticated just now; required to record a signature. */
export interface Signer {
  userId: string;
  username: string;
  printedName: string;
  /** The signer's role when signing, recorded as is (never assumed from the act). */
  role: string;
  meaning: string;
}

export interface SignedRecord {
  type: string;
  id: string;
  /** The record's content as signed; its canonical JSON is hashed. */
  content: unknown;
}

const REAUTH_INVALID =
  'Confirm your identity at the identity provider again: the confirmation is missing, already used or too old. Nothing was changed.';
const CO_SIGNATURE_INVALID = 'The second signature is not valid. Nothing was changed.';
/** `details` of a SIGNATURE_INVALID answer: whose password failed, and how many tries remain before that account locks. */
type SignatureFailureDetails = {
  signer: 'self' | 'cosigner';
  attemptsRemaining: number;
  /** Set when the signature lacked the second-factor code it needs (nothing was counted). */
  codeRequired?: true;
};
const CODE_REQUIRED =
  'The first signature of a session needs the code from your authenticator app as well as your password. Nothing was changed.';
const SIGNATURE_CODE_INVALID = 'The signature password or code is not correct. Nothing was changed.';

interface SignatureRow extends SignatureView {
  signerId: string;
  recordHash: string;
  seal: string;
}

const toRow = (r: Record<string, unknown>): SignatureRow => ({
  id: asStr(r.id),
  signerId: asStr(r.signer_id),
  signerUsername: asStr(r.signer_username),
  printedName: asStr(r.printed_name),
  meaning: asStr(r.meaning),
  signedAt: asStr(r.signed_at),
  recordType: asStr(r.record_type),
  recordId: asStr(r.record_id),
  recordHash: asStr(r.record_hash),
  seal: asStr(r.seal),
});

@Injectable()
export class SignatureService {
  constructor(
    private readonly db: DatabaseService,
    private readonly auth: AuthService,
    private readonly secondFactor: SecondFactorService,
    private readonly key: SigningKey,
    private readonly reauthTickets: ReauthTickets,
    @Inject(SIGNED_RECORD_LOADERS) private readonly loaders: Record<string, ContentLoader>,
  ) {}

  /**
   * Re-checks the password before the write transaction (argon2 is slow; it must not hold the
   * write lock). A wrong password → SIGNATURE_INVALID, counted toward lockout, nothing else changes.
   * The meaning is the server's text for the act (shared/signature-meanings.ts); a client may echo
   * it, but a different text is refused before the password is checked (21 CFR 11.50).
   */
  async authenticate(viewer: Viewer, input: SignatureInput | undefined, act: SignedAct): Promise<Signer> {
    // An account of the identity provider signs with a fresh login there (oidc/reauth-tickets.ts), not a password.
    if (input?.reauthTicket)
      return this.reauthenticated(viewer, input.reauthTicket, requireMeaning(input.meaning, act));
    if (!input || typeof input.password !== 'string' || input.password.length === 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'This action must be signed: send signature.password (signature.meaning is optional and must be the text shown).',
      );
    }
    const meaning = requireMeaning(input.meaning, act);
    const user = await this.db.read((sql) => UsersRepository.findById(sql, viewer.userId));
    if (!user || !user.active) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
    if (user.lockedAt) throw new DomainError('TOO_MANY_ATTEMPTS', 'The account is locked.');
    const enrolled = await this.db.read((sql) => SecondFactorService.enrolled(sql, user.id));
    const needs = signatureNeeds({
      enrolled,
      // The account's own role or the role it signs with in this study (viewer.role on a study route).
      required: requiresSecondFactor(user.role) || requiresSecondFactor(viewer.role),
      fullSignatureInSession: !!viewer.fullSignatureAt,
      coSigner: false,
    });
    const code = input.totp?.trim() || null;
    if (needs.code && !code) {
      // Asked before the password is checked, so a missing code reveals nothing and counts nothing.
      throw new DomainError('SIGNATURE_INVALID', CODE_REQUIRED, {
        signer: 'self',
        attemptsRemaining: Math.max(0, this.db.config.lockoutThreshold - user.failedAttempts),
        codeRequired: true,
      } satisfies SignatureFailureDetails);
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      const attemptsRemaining = await this.auth.recordFailure(user, 'signature.failed');
      throw new DomainError('SIGNATURE_INVALID', 'The signature password is not correct. Nothing was changed.', {
        signer: 'self',
        attemptsRemaining,
      } satisfies SignatureFailureDetails);
    }
    // A code sent with a later signature is checked too: a wrong one never passes unnoticed.
    const checkCode = code !== null && (needs.code || enrolled);
    if (checkCode && !(await this.useCode(user, code, viewer.sessionId))) {
      const attemptsRemaining = await this.auth.recordFailure(user, 'signature.failed', { factor: 'second' });
      throw new DomainError('SIGNATURE_INVALID', SIGNATURE_CODE_INVALID, {
        signer: 'self',
        attemptsRemaining,
      } satisfies SignatureFailureDetails);
    }
    return { userId: user.id, username: user.username, printedName: user.displayName, role: user.role, meaning };
  }

  /**
   * Uses a second-factor code in its own write (a TOTP step is spent even if the signed action then
   * fails). `sessionId`: the signer's own session, which from now on has signed with every component
   * (sessions.full_signature_at: later signatures of this session need the password only).
   */
  private async useCode(
    user: { id: string; username: string; role: string },
    code: string,
    sessionId?: string,
  ): Promise<boolean> {
    return this.db
      .withWriteTransaction(
        { userId: user.id, username: user.username, role: user.role },
        async (tx) => {
          if (!(await this.secondFactor.use(tx, user.id, code))) throw new CodeRefused();
          if (sessionId) await SessionsRepository.markFullSignature(tx.sql, sessionId, tx.now);
          return true;
        },
        { unaudited: 'second-factor step of a signature (the signature is audited with its action)' },
      )
      .catch((err: unknown) => {
        if (err instanceof CodeRefused) return false;
        throw err;
      });
  }

  /** The SSO branch of `authenticate`: the single-use ticket of a fresh provider login by this person in this session. */
  private async reauthenticated(viewer: Viewer, ticket: string, meaning: string): Promise<Signer> {
    const user = await this.db.read((sql) => UsersRepository.findById(sql, viewer.userId));
    if (!user || !user.active) throw new DomainError('UNAUTHENTICATED', 'Sign in to continue.');
    if (user.lockedAt) throw new DomainError('TOO_MANY_ATTEMPTS', 'The account is locked.');
    if (!(await this.reauthTickets.use(viewer, ticket)))
      throw new DomainError('SIGNATURE_INVALID', REAUTH_INVALID, { signer: 'self', reauthRequired: true });
    return { userId: user.id, username: user.username, printedName: user.displayName, role: user.role, meaning };
  }

  /**
   * A co-signature by a second person who is not signed in (two people signing one form). Every
   * failure — unknown or disabled name, locked account, a role that may not co-sign, wrong password
   * — pays one argon2 verification and one counted failure, and gets the same 401, code and
   * message: the answer never tells which names exist or which role they have.
   */
  async authenticateCoSigner(
    input: { username: string; password: string; meaning?: string; totp?: string },
    act: SignedAct,
    mayCoSign: (role: string) => boolean,
    /** The role the co-signer signs in, when it is not their account's (the statistician of a study being created). */
    signsAs?: Role,
  ): Promise<Signer> {
    const meaning = requireMeaning(input.meaning, act);
    const user = await this.db.read((sql) => UsersRepository.findByUsername(sql, input.username));
    const known = user !== null && user.active;
    const passwordOk = known
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
    if (known && passwordOk && !user.lockedAt && mayCoSign(user.role)) {
      // A co-signer is not in a session of their own: password AND code, every time.
      const enrolled = await this.db.read((sql) => SecondFactorService.enrolled(sql, user.id));
      const needs = signatureNeeds({
        enrolled,
        required: requiresSecondFactor(user.role) || (!!signsAs && requiresSecondFactor(signsAs)),
        fullSignatureInSession: false,
        coSigner: true,
      });
      const code = input.totp?.trim() || null;
      const codeOk = !needs.code || (code !== null && enrolled && (await this.useCode(user, code)));
      const role = signsAs ?? user.role;
      if (codeOk) return { userId: user.id, username: user.username, printedName: user.displayName, role, meaning };
    }
    const attemptsRemaining = known
      ? await this.auth.recordFailure(user, 'signature.failed', { quiet: true })
      : await this.auth.recordUnknownFailure(input.username, 'signature.failed');
    // `signer: 'cosigner'` tells the console whose password failed (not the signed-in statistician's);
    // the remaining count is kept for unknown names too, so it does not tell which names exist.
    throw new DomainError('SIGNATURE_INVALID', CO_SIGNATURE_INVALID, {
      signer: 'cosigner',
      attemptsRemaining,
    } satisfies SignatureFailureDetails);
  }

  /** Stores the signature inside the caller's write transaction; returns its view. */
  async record(tx: WriteTx, signer: Signer, record: SignedRecord): Promise<SignatureView> {
    const row: Omit<SignatureRow, 'seal'> = {
      id: randomUUID(),
      signerId: signer.userId,
      signerUsername: signer.username,
      printedName: signer.printedName,
      meaning: signer.meaning,
      signedAt: tx.now,
      recordType: record.type,
      recordId: record.id,
      recordHash: sha256Hex(canonicalJson(record.content)),
    };
    const seal = this.key.sign(sealMessage(row));
    await tx.sql.exec(
      `INSERT INTO signatures (id, signer_id, signer_username, printed_name, meaning, signed_at, record_type, record_id, record_hash, seal)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.signerId,
        row.signerUsername,
        row.printedName,
        row.meaning,
        row.signedAt,
        row.recordType,
        row.recordId,
        row.recordHash,
        seal,
      ],
    );
    const { signerId: _s, recordHash: _h, ...view } = row;
    return view;
  }

  /**
   * The manifestation of each signature (21 CFR 11.50(b): printed name, meaning, time) by id, for the views
   * that show a signed record. No seal, hash or signer id: what a person reads next to the record.
   */
  static async manifests(sql: Sql, ids: Array<string | null | undefined>): Promise<Map<string, SignatureManifest>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const found = new Map<string, SignatureManifest>();
    if (!wanted.length) return found;
    const rows = await sql.all(
      `SELECT * FROM signatures WHERE id IN (${wanted.map(() => '?').join(', ')})`,
      wanted,
      toRow,
    );
    for (const r of rows) found.set(r.id, { printedName: r.printedName, meaning: r.meaning, signedAt: r.signedAt });
    return found;
  }

  /**
   * Verifies a stored signature against its record as stored now (for auditors), under one study's path:
   * a signature whose record belongs to another study is not found there, like one that does not exist.
   */
  async verifyStored(
    studyId: number,
    signatureId: string,
  ): Promise<SignatureView & { valid: boolean; problem: string | null }> {
    const row = await this.db.read((sql) => sql.one('SELECT * FROM signatures WHERE id = ?', [signatureId], toRow));
    if (!row) throw new DomainError('NOT_FOUND', 'The signature was not found.');
    const loader = this.loaders[row.recordType];
    const content = loader ? await this.db.read((sql) => loader(sql, row.recordId, studyId)) : null;
    if (content === null && loader && (await this.db.read((sql) => loader(sql, row.recordId))) !== null)
      throw new DomainError('NOT_FOUND', 'The signature was not found.');
    const { signerId: _s, recordHash: _h, seal: _seal, ...view } = row;
    if (content === null) return { ...view, valid: false, problem: 'the signed record does not exist' };
    const valid = await this.verify(signatureId, { type: row.recordType, id: row.recordId, content });
    return {
      ...view,
      valid,
      problem: valid
        ? null
        : 'the signature does not bind this record as stored (moved, or the record changed after signing)',
    };
  }

  /** True when the stored signature is intact and belongs to exactly this record and content. */
  async verify(signatureId: string, record: SignedRecord): Promise<boolean> {
    const row = await this.db.read((sql) => sql.one('SELECT * FROM signatures WHERE id = ?', [signatureId], toRow));
    if (!row) return false;
    if (row.recordType !== record.type || row.recordId !== record.id) return false;
    if (row.recordHash !== sha256Hex(canonicalJson(record.content))) return false;
    const { seal, ...unsealed } = row;
    // A seal made before a key rotation is checked with the retired key of record for its time.
    const rotations = await this.db.read((sql) => readRotationRecords((q) => sql.all(q)));
    const key = rotations.length ? KeyRing.from(this.key.publicKey, rotations).keyAt(row.signedAt) : this.key.publicKey;
    if (!key) return false;
    try {
      return edVerify(null, Buffer.from(sealMessage(unsealed)), key, Buffer.from(seal, 'base64'));
    } catch {
      return false;
    }
  }
}

/** The server's meaning for the act; a client text that differs (beyond spacing) is a 400. */
function requireMeaning(sent: unknown, act: SignedAct): string {
  const meaning = SIGNATURE_MEANINGS[act];
  if (sent === undefined || sent === null) return meaning;
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (typeof sent !== 'string' || (normalize(sent) !== '' && normalize(sent) !== meaning)) {
    throw new DomainError(
      'SIGNATURE_MEANING_MISMATCH',
      `The meaning of this signature is fixed: "${meaning}". Send that text or leave signature.meaning out.`,
    );
  }
  return meaning;
}
