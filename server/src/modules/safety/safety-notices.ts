/**
 * The texts of safety unblinding and inadvertent-unblinding notices, from the catalogue (namespace `safety`).
 * The requester and the study team get one neutral confirmation whose words do not depend on the arm; the
 * pharmacovigilance users get a pointer to the audited reveal; only the designated e-mail address receives the arm.
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import type { AllocationRecord } from '../participants/participant.record.js';
import type { LocalizedMessage } from '../notifications/notifications.service.js';
import type { InadvertentPatient, InadvertentReportRecord, SafetyUnblindingRecord } from './safety.repository.js';
import { describeAllocation } from './safety.views.js';

const where = (r: SafetyUnblindingRecord) => ({ patient: r.screeningNumber, site: r.siteCode });

/** To the requester and the medical monitors: delivered, nothing more. Same text for every arm. */
export function confirmationNotice(r: SafetyUnblindingRecord): LocalizedMessage {
  return (locale) => ({
    kind: 'safety.delivered',
    title: translate(locale, 'safety.notice.confirm.title', where(r)),
    body: translate(locale, 'safety.notice.confirm.body', { ...where(r), requester: r.requestedByName }),
    entityType: 'safety-unblinding',
    entityId: r.id,
    mail: {
      subject: translate(locale, 'safety.mail.confirm.subject'),
      text: translate(locale, 'safety.mail.confirm.text', { reference: r.id }),
    },
  });
}

/** To the pharmacovigilance users: the allocation waits behind the audited reveal (never in the message). */
export function pharmacovigilanceNotice(r: SafetyUnblindingRecord): LocalizedMessage {
  return (locale) => ({
    kind: 'safety.available',
    title: translate(locale, 'safety.notice.pv.title', where(r)),
    body: translate(locale, 'safety.notice.pv.body', { ...where(r), requester: r.requestedByName, reason: r.reason }),
    entityType: 'safety-unblinding',
    entityId: r.id,
    mail: {
      subject: translate(locale, 'safety.mail.pv.subject'),
      text: translate(locale, 'safety.mail.pv.text', { reference: r.id }),
    },
  });
}

/** The e-mail to the designated safety address: the one message that carries the arm, to nobody else. */
export function recipientMail(
  r: SafetyUnblindingRecord,
  allocation: AllocationRecord,
  protocol: Protocol,
  at: string,
  locale: Locale,
): { subject: string; text: string } {
  const a = describeAllocation(allocation, protocol);
  const periods = a.periods
    .map((p) =>
      translate(locale, 'safety.mail.recipient.period', {
        period: p.period,
        label: p.label ?? String(p.period),
        product: `${p.productLabel} (${p.product})`,
      }),
    )
    .join('\n');
  return {
    subject: translate(locale, 'safety.mail.recipient.subject', {
      study: protocol.study.code,
      patient: r.screeningNumber,
    }),
    text: translate(locale, 'safety.mail.recipient.text', {
      study: `${protocol.study.code} (${protocol.study.title})`,
      ...where(r),
      randomizationNumber: String(allocation.randomizationNumber),
      treatmentCode: allocation.treatmentCode,
      allocation: translate(locale, 'safety.mail.recipient.allocation', { arm: a.arm, armLabel: a.armLabel }),
      periods,
      reason: r.reason,
      reportReference: r.reportReference ?? translate(locale, 'safety.mail.recipient.none'),
      requester: `${r.requestedByName} (${r.requestedBy})`,
      at,
      reference: r.id,
    }),
  };
}

/** To the medical monitors and auditors when an inadvertent unblinding is reported (no arm: the report is checked text). */
export function inadvertentNotice(r: InadvertentReportRecord, patients: InadvertentPatient[]): LocalizedMessage {
  const list = patients.map((p) => p.screeningNumber).join(', ');
  return (locale) => ({
    kind: 'safety.inadvertent-reported',
    title: translate(locale, 'safety.notice.inadvertent.title', { patients: list }),
    body: translate(locale, 'safety.notice.inadvertent.body', {
      reporter: r.reportedByName,
      date: r.occurredOn,
      patients: list,
    }),
    entityType: 'inadvertent-unblinding',
    entityId: r.id,
    mail: {
      subject: translate(locale, 'safety.mail.inadvertent.subject'),
      text: translate(locale, 'safety.mail.inadvertent.text', { reference: r.id }),
    },
  });
}
