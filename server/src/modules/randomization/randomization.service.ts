/**
 * Randomizing a patient, exactly once: signed, idempotent, and decided in one write transaction
 * together with its audit entry — the next free list entry of the patient's stratum (or the dynamic
 * method's decision with its replay record), the next randomization number, the blinded code.
 *
 * Data flow: controller → randomize() → key checks → signature (outside the lock) →
 * withWriteTransaction { study active → participant eligible, not yet randomized → decideAllocation
 * → allocation row → participant randomized → signature record → idempotency row → audit entry }.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import type { Scheme } from '../../../../shared/engine/index.js';
import { DomainError } from '../../common/domain-error.js';
import { requireAccess } from '../../common/require-access.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { requireMove, transition } from '../../database/transition.js';
import { PARTICIPANT_LIFECYCLE } from '../../../../shared/lifecycle/participant.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { UNBLINDED_DETAILS_KEY } from '../audit/audit.service.js';
import type { AllocationRecord, ParticipantRecord } from '../participants/participant.record.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { PharmacyNotices } from '../pharmacy/pharmacy-notices.js';
import { SignatureService, type Signer } from '../signatures/signature.service.js';
import { SchemesRepository } from '../protocol/schemes.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { decideAllocation, type AllocationDecision, type AllocationSource } from './allocation-source.js';
import type { SignedAct } from '../../../../shared/signature-meanings.js';
import {
  checkKey,
  IdempotencyRepository,
  InFlightRequests,
  KeyAlreadyUsed,
  replayOrReject,
  type StoredResponse,
} from './idempotency.js';

const ROUTE = 'POST /api/participants/:id/randomize';

/** The sentence of a refused randomization (the code is the participant lifecycle table's). */
function refusalSentence(
  p: ParticipantRecord,
  allocation: AllocationRecord | null,
): { message: string; details?: unknown } {
  if (allocation)
    return {
      message: `Patient ${p.screeningNumber} was already randomized (number ${allocation.randomizationNumber}).`,
    };
  if (p.status === 'ineligible')
    return {
      message: `Patient ${p.screeningNumber} does not meet the eligibility criteria.`,
      details: { eligibilityFailures: p.eligibilityFailures },
    };
  return { message: `Patient ${p.screeningNumber} cannot be randomized from status ${p.status}.` };
}

/** The database as an allocation source, inside one write transaction. */
function databaseSource(tx: WriteTx, schemeId: string): AllocationSource {
  return {
    cursor: (stratumKey) => SchemesRepository.cursorForUpdate(tx.sql, tx.studyId, schemeId, stratumKey),
    // The online list stops before the entries owned by downtime envelopes (docs/DOWNTIME.md).
    entryAt: async (stratumKey, position) => {
      const reserved = await SchemesRepository.firstReservedPosition(tx.sql, tx.studyId, schemeId, stratumKey);
      return reserved !== null && position >= reserved
        ? null
        : SchemesRepository.entryAt(tx.sql, tx.studyId, schemeId, stratumKey, position);
    },
    advance: (stratumKey, next) =>
      SchemesRepository.advanceCursor(tx.sql, tx.studyId, schemeId, stratumKey, next).then(() => undefined),
    history: async () =>
      (await ParticipantsRepository.allocations(tx.sql, tx.studyId, schemeId)).map((a) => ({
        stratumKey: a.stratumKey,
        covariates: a.covariates,
        armCode: a.armCode,
        treatmentCode: a.treatmentCode,
      })),
  };
}

/**
 * Another source of the allocation than the online list: a downtime envelope entered afterwards
 * (server/src/modules/envelopes). Everything else — key, signature, eligibility, exactly once, the
 * randomization number, pharmacy tasks, the audit entry — is the same write path.
 */
export interface AllocationChannel {
  route: string;
  act: SignedAct;
  /** What, besides the patient, identifies the request (part of the idempotency fingerprint). */
  request: Record<string, unknown>;
  decide(tx: WriteTx, patient: ParticipantRecord, schemeId: string): Promise<AllocationDecision>;
  /** After the allocation row exists; returns what the response and the audit entry add. */
  recorded(tx: WriteTx, allocation: AllocationRecord): Promise<Record<string, unknown>>;
}

@Injectable()
export class RandomizationService {
  private readonly inFlight = new InFlightRequests();

  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
    private readonly pharmacy: PharmacyNotices,
  ) {}

  async randomize(
    viewer: Viewer,
    participantId: string,
    idempotencyKey: string | undefined,
    signature: { password: string; meaning?: string },
    channel?: AllocationChannel,
  ): Promise<StoredResponse> {
    const key = checkKey(idempotencyKey);
    const route = channel?.route ?? ROUTE;
    // The password is not part of the fingerprint of the request: a retry may retype it.
    const bodyHash = sha256Hex(
      canonicalJson({
        participantId,
        meaning: signature?.meaning ?? null,
        ...(channel ? { channel: channel.request } : {}),
      }),
    );
    return this.inFlight.run(key, viewer.userId, bodyHash, async () => {
      const replay = await this.replayStored(viewer, key, bodyHash, route);
      if (replay) return replay;
      const signer = await this.signatures.authenticate(viewer, signature, channel?.act ?? 'randomize');
      try {
        return await this.db.withWriteTransaction(actorOf(viewer), (tx) =>
          this.allocateInTransaction(tx, viewer, participantId, signer, key, bodyHash, channel),
        );
      } catch (err) {
        // Another instance finished the same key while we verified the password: replay its answer.
        if (err instanceof KeyAlreadyUsed) return (await this.replayStored(viewer, key, bodyHash, route))!;
        throw err;
      }
    });
  }

  /** The stored answer for this key: same user and body (else 422), and the patient still visible (else 404). */
  private async replayStored(
    viewer: Viewer,
    key: string,
    bodyHash: string,
    route = ROUTE,
  ): Promise<StoredResponse | null> {
    return this.db.read(async (sql) => {
      const studyId = viewer.studyId!;
      const stored = await IdempotencyRepository.find(sql, studyId, key);
      const replay = replayOrReject(stored, viewer.userId, route, bodyHash);
      if (!replay) return null;
      const participantId = (replay.body as { participantId: string }).participantId;
      const found = await ParticipantsRepository.find(sql, studyId, participantId);
      requireAccess(viewer, found?.participant, 'The patient');
      return replay;
    });
  }

  /**
   * The allocation core, inside the caller's write transaction, after the signer re-authenticated.
   * (Public for the B2 benchmark, which measures it without the password check.)
   */
  async allocateInTransaction(
    tx: WriteTx,
    viewer: Viewer,
    participantId: string,
    signer: Signer,
    key: string,
    bodyHash: string,
    channel?: AllocationChannel,
  ): Promise<StoredResponse> {
    // Another instance may have finished the same key while we verified the password: stop here,
    // write nothing, and let the caller replay outside the transaction (a replay is a read).
    if (await IdempotencyRepository.find(tx.sql, tx.studyId, key)) throw new KeyAlreadyUsed();
    const study = await this.study.current(tx.sql, tx.studyId);
    this.study.requireStatus(study, ['active'], 'randomize');
    const found = await ParticipantsRepository.find(tx.sql, tx.studyId, participantId, true);
    const p = requireAccess(viewer, found?.participant, 'The patient');
    // Refused before the scheme is read (NOT_ELIGIBLE, ALREADY_RANDOMIZED…: the table's codes); transition() applies the move below.
    requireMove(PARTICIPANT_LIFECYCLE, p, 'randomize', undefined, refusalSentence(p, found!.allocation));
    if (!p.stratumKey)
      throw new DomainError(
        'INVALID_TRANSITION',
        `Patient ${p.screeningNumber} has no stratum and cannot be randomized.`,
      );

    const record = await SchemesRepository.findById(tx.sql, tx.studyId, study.activeSchemeId!);
    // Only a live scheme needs its document and seed; a list scheme reads its next entry.
    const liveScheme: Scheme | null = record!.live
      ? { ...(await SchemesRepository.document(tx.sql, tx.studyId, record!.id))!, seed: record!.seed ?? undefined }
      : null;
    const covariates = p.stratumLevels ?? {};
    const decision = channel
      ? await channel.decide(tx, p, record!.id)
      : await decideAllocation(databaseSource(tx, record!.id), liveScheme, { stratumKey: p.stratumKey, covariates });

    const allocation: AllocationRecord = {
      id: randomUUID(),
      participantId: p.id,
      schemeId: record!.id,
      listEntryId: decision.listEntryId,
      stratumKey: p.stratumKey,
      randomizationNumber: await ParticipantsRepository.nextRandomizationNumber(tx.sql, tx.studyId),
      armCode: decision.armCode,
      treatmentCode: decision.treatmentCode,
      dynamicRecord: decision.dynamicRecord,
      covariates,
      randomizedAt: tx.now,
      randomizedBy: viewer.username,
      signatureId: '',
    };
    const response = {
      participantId: p.id,
      randomizationNumber: allocation.randomizationNumber,
      treatmentCode: allocation.treatmentCode,
      stratum: p.stratumKey,
      randomizedAt: tx.now,
    };
    const signed = await this.signatures.record(tx, signer, {
      type: 'randomization',
      id: allocation.id,
      content: response,
    });
    allocation.signatureId = signed.id;
    await ParticipantsRepository.insertAllocation(tx.sql, tx.studyId, allocation);
    const via = channel ? await channel.recorded(tx, allocation) : {};
    const body = {
      ...response,
      ...via,
      signature: { printedName: signed.printedName, meaning: signed.meaning, signedAt: signed.signedAt },
    };
    await IdempotencyRepository.insert(
      tx.sql,
      tx.studyId,
      key,
      viewer.userId,
      channel?.route ?? ROUTE,
      bodyHash,
      { status: 201, body },
      tx.now,
    );
    await transition(tx, PARTICIPANT_LIFECYCLE, p, 'randomize', {
      write: (to) => ParticipantsRepository.setStatus(tx.sql, tx.studyId, p.id, p.status, to, tx.now),
      details: {
        allocationId: allocation.id,
        randomizationNumber: allocation.randomizationNumber,
        treatmentCode: allocation.treatmentCode,
        stratum: p.stratumKey,
        schemeVersion: record!.version,
        listPosition: decision.position,
        signatureId: signed.id,
        signature: { printedName: signed.printedName, meaning: signed.meaning, signedAt: signed.signedAt },
        ...via,
        [UNBLINDED_DETAILS_KEY]: { armCode: decision.armCode, dynamicRecord: decision.dynamicRecord },
      },
    });
    // The unblinded pharmacy learns what to prepare in the same transaction (never a blinded role).
    await this.pharmacy.randomized(tx, p, allocation);
    return { status: 201, body };
  }
}
