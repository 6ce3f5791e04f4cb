/**
 * Screening and registration of patients, their views, and signed corrections. The participant's
 * lifecycle is the table in shared/lifecycle/participant.ts: registration is its first move.
 */
import type { ParticipantDetailView, ParticipantView } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { deriveStratum, evaluateEligibility, readAnswer, type Protocol } from '../../../../shared/protocol/index.js';
import { isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { canActAtSite, requireAccess } from '../../common/require-access.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { transition } from '../../database/transition.js';
import { PARTICIPANT_LIFECYCLE } from '../../../../shared/lifecycle/participant.js';
import { SignatureService } from '../signatures/signature.service.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { asInputError } from '../protocol/input-error.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import type { ParticipantRecord } from './participant.record.js';
import { toParticipantDetailView, toParticipantView } from './participant.views.js';
import type { CorrectionDto, RegisterParticipantDto } from './participants.dto.js';
import { ParticipantsRepository } from './participants.repository.js';

/** Rejects answers to questions the protocol does not ask, and oversized values. */
function checkAnswerShape(protocol: Protocol, answers: Record<string, unknown>): void {
  const known = new Set(protocol.questions.map((q) => q.id));
  const unknown = Object.keys(answers).filter((k) => !known.has(k));
  if (unknown.length)
    throw new DomainError(
      'VALIDATION_FAILED',
      `Unknown screening question(s): ${unknown.join(', ')}. The protocol asks: ${[...known].join(', ')}.`,
    );
  for (const [k, v] of Object.entries(answers)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v))
      throw new DomainError('VALIDATION_FAILED', `The answer to "${k}" must be a number, text or true/false.`);
    if (typeof v === 'string' && v.length > 200)
      throw new DomainError('VALIDATION_FAILED', `The answer to "${k}" is too long (200 characters at most).`);
  }
}

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
  ) {}

  async register(viewer: Viewer, input: RegisterParticipantDto): Promise<ParticipantDetailView> {
    const protocol = this.study.protocol(viewer.studyId!);
    if (!canActAtSite(viewer, input.siteCode))
      throw new DomainError(
        'FORBIDDEN',
        `You can register patients only at your own site(s): ${viewer.siteCodes.join(', ')}.`,
      );
    const answers = { ...input.factors, ...input.eligibility };
    checkAnswerShape(protocol, answers);
    const eligibility = evaluateEligibility(protocol, answers);
    let stratum: { key: string; levels: Record<string, string> } | null = null;
    try {
      stratum = deriveStratum(protocol, answers, input.siteCode);
    } catch (err) {
      if (eligibility.eligible) throw asInputError(err); // an eligible patient must have a stratum
    }
    const id = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(await this.study.current(tx.sql, tx.studyId), ['active'], 'register a patient');
      const site = await SitesRepository.find(tx.sql, input.siteCode);
      if (!site || !site.active)
        throw new DomainError('VALIDATION_FAILED', `Site "${input.siteCode}" does not exist or is closed.`);
      const p: ParticipantRecord = {
        id: randomUUID(),
        siteCode: input.siteCode,
        screeningNumber: input.screeningNumber,
        status: eligibility.eligible ? 'eligible' : 'ineligible',
        answers,
        eligibilityFailures: eligibility.failures,
        stratumKey: stratum?.key ?? null,
        stratumLevels: stratum?.levels ?? null,
        randomizedInError: false,
        createdBy: viewer.username,
        createdAt: tx.now,
        updatedAt: tx.now,
      };
      const insert = async () => {
        try {
          await ParticipantsRepository.insert(tx.sql, tx.studyId, p);
        } catch (err) {
          if (isUniqueViolation(err))
            throw new DomainError(
              'DUPLICATE',
              `Screening number ${input.screeningNumber} is already registered at site ${input.siteCode}.`,
            );
          throw err;
        }
      };
      await transition(tx, PARTICIPANT_LIFECYCLE, { id: p.id, status: null }, 'register', {
        to: p.status,
        write: insert,
        details: {
          siteCode: p.siteCode,
          screeningNumber: p.screeningNumber,
          status: p.status,
          answers,
          eligibilityFailures: p.eligibilityFailures,
          stratum: p.stratumKey,
        },
      });
      return p.id;
    });
    return this.get(viewer, id);
  }

  async list(viewer: Viewer): Promise<ParticipantView[]> {
    const studyId = viewer.studyId!;
    const protocol = this.study.protocol(studyId);
    const rows = await this.db.read((sql) =>
      ParticipantsRepository.list(sql, studyId, isSiteScoped(viewer.role) ? viewer.siteCodes : null),
    );
    return rows.map((r) => toParticipantView(r, viewer, protocol));
  }

  async get(viewer: Viewer, id: string): Promise<ParticipantDetailView> {
    const studyId = viewer.studyId!;
    const protocol = this.study.protocol(studyId);
    return this.db.read(async (sql) => {
      const found = await ParticipantsRepository.find(sql, studyId, id);
      requireAccess(viewer, found?.participant, 'The patient');
      const [corrections, dispensations] = await Promise.all([
        ParticipantsRepository.corrections(sql, studyId, id),
        ParticipantsRepository.dispensations(sql, studyId, id),
      ]);
      const signatures = await SignatureService.manifests(sql, [
        found!.allocation?.signatureId,
        ...corrections.map((c) => c.signatureId),
        ...dispensations.map((d) => d.signatureId),
      ]);
      return toParticipantDetailView(found!, viewer, protocol, corrections, dispensations, signatures);
    });
  }

  /**
   * A signed correction: the corrected value is recorded with the old one and a reason; the
   * allocation stands ("analyze as randomized") — the stratum used at randomization is not changed.
   */
  async correct(viewer: Viewer, id: string, input: CorrectionDto): Promise<ParticipantDetailView> {
    const protocol = this.study.protocol(viewer.studyId!);
    const isErrorFlag = input.field === 'randomizedInError';
    if (!isErrorFlag) {
      const question = protocol.questions.find((q) => q.id === input.field);
      if (!question)
        throw new DomainError(
          'VALIDATION_FAILED',
          `Unknown field "${input.field}": give a screening question id or randomizedInError.`,
        );
      const read = readAnswer(question, { [question.id]: input.newValue });
      if (!read.ok)
        throw new DomainError(
          'VALIDATION_FAILED',
          `The corrected value of "${input.field}" is not valid: ${read.reason}.`,
        );
    } else if (input.newValue !== true) {
      throw new DomainError('VALIDATION_FAILED', 'randomizedInError can only be set to true.');
    }
    const signer = await this.signatures.authenticate(viewer, input.signature, 'correction');
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(await this.study.current(tx.sql, tx.studyId), ['active'], 'record a correction');
      const found = await ParticipantsRepository.find(tx.sql, tx.studyId, id, true);
      const p = requireAccess(viewer, found?.participant, 'The patient');
      const oldValue = isErrorFlag ? p.randomizedInError : (p.answers[input.field] ?? null);
      if (JSON.stringify(oldValue) === JSON.stringify(input.newValue))
        throw new DomainError('VALIDATION_FAILED', `"${input.field}" already has this value.`);
      if (isErrorFlag && !found!.allocation)
        throw new DomainError('INVALID_TRANSITION', 'Only a randomized patient can be marked as randomized in error.');
      const correctionId = randomUUID();
      const signature = await this.signatures.record(tx, signer, {
        type: 'correction',
        id: correctionId,
        content: { participantId: id, field: input.field, oldValue, newValue: input.newValue, reason: input.reason },
      });
      await tx.sql.exec(
        'INSERT INTO corrections (study_id, id, participant_id, field, old_value, new_value, reason, signature_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          tx.studyId,
          correctionId,
          id,
          input.field,
          JSON.stringify(oldValue),
          JSON.stringify(input.newValue),
          input.reason,
          signature.id,
          viewer.username,
          tx.now,
        ],
      );
      const updated = isErrorFlag
        ? { ...p, randomizedInError: true, updatedAt: tx.now }
        : { ...p, answers: { ...p.answers, [input.field]: input.newValue }, updatedAt: tx.now };
      await ParticipantsRepository.update(tx.sql, tx.studyId, updated);
      tx.audit({
        action: 'participant.corrected',
        entityType: 'participant',
        entityId: id,
        reason: input.reason,
        details: {
          correctionId,
          changes: { [input.field]: { old: oldValue, new: input.newValue } },
          allocationStands: found!.allocation !== null,
          signatureId: signature.id,
          signature,
        },
      });
    });
    return this.get(viewer, id);
  }
}
