/**
 * The patient's wallet-size emergency card: screening number, blinded treatment code, study,
 * 24/7 contacts, and the address of the patient's unblinding section (PUBLIC_URL + console path),
 * which the console draws as a QR code. Blinded by construction: nothing on it depends on the arm
 * (the treatment code is the blinded code every role already sees).
 */
import type { EmergencyCardView } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import { requireAccess } from '../../common/require-access.js';
import type { Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { studyPagePath } from '../../../../shared/study-paths.js';

/** The console page the card's QR code opens (after sign-in): the patient's unblinding section, in its study. */
const cardPath = (studyCode: string, participantId: string) =>
  studyPagePath(studyCode, `patients/${participantId}#unblinding`);

@Injectable()
export class EmergencyCardService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
  ) {}

  card(viewer: Viewer, participantId: string): Promise<EmergencyCardView> {
    const protocol = this.study.protocol(viewer.studyId!);
    return this.db.read(async (sql) => {
      const found = await ParticipantsRepository.find(sql, viewer.studyId!, participantId);
      const p = requireAccess(viewer, found?.participant, 'The patient');
      if (!found!.allocation)
        throw new DomainError(
          'INVALID_TRANSITION',
          `Patient ${p.screeningNumber} has not been randomized yet: the emergency card is printed after randomization.`,
        );
      const site = await SitesRepository.find(sql, p.siteCode);
      const emergency = protocol.unblinding.emergency;
      return {
        participantId: p.id,
        screeningNumber: p.screeningNumber,
        siteCode: p.siteCode,
        siteName: site?.name ?? p.siteCode,
        randomizationNumber: found!.allocation.randomizationNumber,
        treatmentCode: found!.allocation.treatmentCode,
        studyCode: protocol.study.code,
        studyTitle: protocol.study.title,
        contacts: emergency?.contacts ?? [],
        url: `${this.db.config.publicUrl}${cardPath(protocol.study.code, p.id)}`,
      };
    });
  }
}
