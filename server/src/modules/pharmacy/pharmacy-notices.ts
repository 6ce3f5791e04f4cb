/**
 * The pharmacy's preparation notice at each randomization: the patient's code and what to prepare
 * per period with its due window. It names products, so it goes only to unblinded recipients
 * (isBlindedAt, checked against the study's status in the same transaction); a blinded role never
 * gets it, not even as a neutral text (its existence at each randomization carries nothing, but
 * nothing is the simplest rule to check). The e-mail does not name the product: it asks the
 * pharmacist to sign in, so a forwarded or misaddressed e-mail unblinds nobody.
 */
import { Injectable } from '@nestjs/common';
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import { dueWindow, type Protocol } from '../../../../shared/protocol/index.js';
import { isBlindedAt } from '../../../../shared/roles.js';
import type { WriteTx } from '../../database/database.service.js';
import type { AllocationRecord, ParticipantRecord } from '../participants/participant.record.js';
import { NotificationsService, type LocalizedMessage } from '../notifications/notifications.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';

/** Roles that prepare and so are told what to prepare (and only while unblinded). */
const PREPARERS = ['pharmacist'] as const;

const day = (iso: string) => iso.slice(0, 10);

function preparationNotice(
  protocol: Protocol,
  p: Pick<ParticipantRecord, 'id' | 'screeningNumber' | 'siteCode'>,
  a: Pick<AllocationRecord, 'armCode' | 'treatmentCode' | 'randomizationNumber' | 'randomizedAt'>,
): LocalizedMessage {
  const arm = protocol.arms.find((x) => x.code === a.armCode)!;
  return (locale: Locale) => {
    const plan = protocol.periods
      .map((period, i) => {
        const product = protocol.products.find((x) => x.code === arm.products[i])?.label ?? arm.products[i];
        const w = dueWindow(period, i, a.randomizedAt);
        return w
          ? translate(locale, 'emergency.pharmacy.period', {
              period: period.label,
              product,
              from: day(w.dueFrom),
              by: day(w.dueBy),
            })
          : translate(locale, 'emergency.pharmacy.periodUndated', { period: period.label, product });
      })
      .join('; ');
    const params = {
      screening: p.screeningNumber,
      site: p.siteCode,
      code: a.treatmentCode,
      number: a.randomizationNumber,
      plan,
    };
    return {
      kind: 'pharmacy.prepare',
      title: translate(locale, 'emergency.pharmacy.title', params),
      body: translate(locale, 'emergency.pharmacy.body', params),
      entityType: 'participant',
      entityId: p.id,
      link: `/pharmacy/tasks?participant=${p.id}`,
      mail: {
        subject: translate(locale, 'emergency.pharmacy.mail.subject'),
        text: `${translate(locale, 'emergency.pharmacy.mail.text', params)}\n`,
      },
    };
  };
}

@Injectable()
export class PharmacyNotices {
  constructor(
    private readonly study: ProtocolService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Inside the randomization's transaction: the notice exists if and only if the allocation does. */
  async randomized(
    tx: WriteTx,
    p: Pick<ParticipantRecord, 'id' | 'screeningNumber' | 'siteCode'>,
    a: Pick<AllocationRecord, 'armCode' | 'treatmentCode' | 'randomizationNumber' | 'randomizedAt'>,
  ): Promise<void> {
    const status = await StudyRepository.status(tx.sql, tx.studyId);
    const recipients = (await this.notifications.recipientsWithRole(tx.sql, tx.studyId, ...PREPARERS)).filter(
      (u) => !isBlindedAt(u.role, status),
    );
    await this.notifications.notify(tx, recipients, preparationNotice(this.study.protocol(tx.studyId), p, a));
  }
}
