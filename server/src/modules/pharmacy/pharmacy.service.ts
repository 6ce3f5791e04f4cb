/**
 * The unblinded pharmacy / cell lab: what to prepare for each randomized patient and period, and
 * signed dispensation records that tie the cell (or placebo medium) lot to the patient and the
 * blinded treatment code — the chain of identity.
 */
import type { DispensationView, PharmacyTaskView } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { dueWindow } from '../../../../shared/protocol/index.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { UNBLINDED_DETAILS_KEY } from '../audit/audit.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { SignatureService } from '../signatures/signature.service.js';
import { ProtocolService } from '../protocol/protocol.service.js';

export interface DispenseInput {
  participantId: string;
  period: number;
  lotNumber: string;
  signature: { password: string; meaning?: string };
}

@Injectable()
export class PharmacyService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
  ) {}

  /**
   * One task per randomized patient and period, in randomization order, with the patient's site and
   * screening number and the period's due window (from the protocol's timing, counted from
   * randomization: a week-24 infusion is not due on day 0).
   */
  async tasks(viewer: Viewer): Promise<PharmacyTaskView[]> {
    const studyId = viewer.studyId!;
    const protocol = this.study.protocol(studyId);
    return this.db.read(async (sql) => {
      const allocations = await ParticipantsRepository.allocations(sql, studyId);
      const patients = new Map(
        (
          await sql.all<Record<string, unknown>>(
            'SELECT id, site_code, screening_number FROM participants WHERE study_id = ?',
            [studyId],
          )
        ).map((r) => [String(r.id), { siteCode: String(r.site_code), screeningNumber: String(r.screening_number) }]),
      );
      const rows = await sql.all<Record<string, unknown>>(
        'SELECT participant_id, period, lot_number, dispensed_at, prepared_by FROM dispensations WHERE study_id = ?',
        [studyId],
      );
      const done = new Map(rows.map((r) => [`${r.participant_id}|${r.period}`, r]));
      return allocations.flatMap((a) => {
        const arm = protocol.arms.find((x) => x.code === a.armCode)!;
        return protocol.periods.map((period, i) => {
          const product = protocol.products.find((p) => p.code === arm.products[i])!;
          const d = done.get(`${a.participantId}|${period.number}`);
          const due = dueWindow(period, i, a.randomizedAt);
          return {
            participantId: a.participantId,
            siteCode: patients.get(a.participantId)?.siteCode ?? null,
            screeningNumber: patients.get(a.participantId)?.screeningNumber ?? null,
            randomizedAt: a.randomizedAt,
            timing: period.timing ?? null,
            dueAt: due?.dueAt ?? null,
            dueFrom: due?.dueFrom ?? null,
            dueBy: due?.dueBy ?? null,
            randomizationNumber: a.randomizationNumber,
            treatmentCode: a.treatmentCode,
            period: period.number,
            periodLabel: period.label,
            arm: arm.code,
            armLabel: arm.label,
            product: product.code,
            productLabel: product.label,
            status: d ? 'dispensed' : 'to-prepare',
            lotNumber: d ? String(d.lot_number) : null,
            dispensedAt: d ? String(d.dispensed_at) : null,
            preparedBy: d ? String(d.prepared_by) : null,
          };
        });
      });
    });
  }

  async dispense(viewer: Viewer, input: DispenseInput): Promise<DispensationView> {
    const protocol = this.study.protocol(viewer.studyId!);
    if (!protocol.periods.some((p) => p.number === input.period)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Period ${input.period} does not exist; the protocol has periods ${protocol.periods.map((p) => p.number).join(', ')}.`,
      );
    }
    const signer = await this.signatures.authenticate(viewer, input.signature, 'dispense');
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(await this.study.current(tx.sql, tx.studyId), ['active'], 'record a dispensation');
      const found = await ParticipantsRepository.find(tx.sql, tx.studyId, input.participantId, true);
      if (!found) throw new DomainError('NOT_FOUND', 'The patient was not found.');
      const a = found.allocation;
      if (!a)
        throw new DomainError(
          'INVALID_TRANSITION',
          'The patient has not been randomized: there is nothing to prepare yet.',
        );
      const previous = await ParticipantsRepository.dispensations(tx.sql, tx.studyId, a.participantId);
      const missing = protocol.periods.filter(
        (p) => p.number < input.period && !previous.some((d) => d.period === p.number),
      );
      if (missing.length)
        throw new DomainError(
          'INVALID_TRANSITION',
          `Record period ${missing[0].number} before period ${input.period}.`,
        );
      const index = protocol.periods.findIndex((p) => p.number === input.period);
      const productCode = protocol.arms.find((x) => x.code === a.armCode)!.products[index];
      const id = randomUUID();
      const record = {
        id,
        participantId: a.participantId,
        treatmentCode: a.treatmentCode,
        period: input.period,
        product: productCode,
        lotNumber: input.lotNumber,
        preparedBy: viewer.username,
      };
      const signed = await this.signatures.record(tx, signer, { type: 'dispensation', id, content: record });
      try {
        await tx.sql.exec(
          `INSERT INTO dispensations (study_id, id, participant_id, allocation_id, period, product_code, lot_number, prepared_by, prepared_by_name, dispensed_at, signature_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            tx.studyId,
            id,
            a.participantId,
            a.id,
            input.period,
            productCode,
            input.lotNumber,
            viewer.username,
            viewer.displayName,
            tx.now,
            signed.id,
          ],
        );
      } catch (err) {
        if (isUniqueViolation(err))
          throw new DomainError('DUPLICATE', `Period ${input.period} of this patient was already dispensed.`);
        throw err;
      }
      tx.audit({
        action: 'dispensation.recorded',
        entityType: 'participant',
        entityId: a.participantId,
        details: {
          dispensationId: id,
          period: input.period,
          treatmentCode: a.treatmentCode,
          signatureId: signed.id,
          [UNBLINDED_DETAILS_KEY]: { productCode, lotNumber: input.lotNumber },
        },
      });
      return {
        ...record,
        preparedByName: viewer.displayName,
        dispensedAt: tx.now,
        signature: { printedName: signed.printedName, meaning: signed.meaning, signedAt: signed.signedAt },
      };
    });
  }
}
