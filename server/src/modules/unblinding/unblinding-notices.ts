/**
 * The texts of unblinding notifications, in each recipient's language (notify() calls the builders below
 * once per recipient). None of them ever names an arm, product or sequence: the recipients are blinded
 * (monitors, investigators). The console text may name the patient; the e-mail names nothing but the kind
 * of event and asks the reader to sign in — the requester's reveal lives only in the console, behind sign-in.
 */
import { translate, type Locale, type MessageParams } from '../../../../shared/i18n/catalogue.js';
import type { LocalizedMessage, NotificationMessage } from '../notifications/notifications.service.js';
import type { UnblindingRequestRecord } from './unblinding.repository.js';

/** The first letter up ("Emergency: blind…" / "Blind…"), for titles that may or may not start with a prefix. */
const capital = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** Console paths: the monitor's queue opened on the request, and the patient's page (where the requester reveals). */
export const requestLink = (r: Pick<UnblindingRequestRecord, 'id'>) => `/unblinding/requests?request=${r.id}`;
export const patientLink = (r: Pick<UnblindingRequestRecord, 'id' | 'participantId'>, reveal = false) =>
  `/patients/${r.participantId}?${reveal ? 'reveal' : 'request'}=${r.id}#unblinding`;

function message(
  r: UnblindingRequestRecord,
  kind: string,
  locale: Locale,
  title: string,
  body: string,
  mail: 'btg' | 'requested' | 'second' | 'decision' | 'revealed',
  link = requestLink(r),
): NotificationMessage {
  const tr = (key: string, params?: MessageParams) => translate(locale, key, params);
  return {
    kind,
    title: capital(title),
    body,
    entityType: 'unblinding-request',
    entityId: r.id,
    link,
    mail: {
      subject: tr('emails.subject', { title: tr(`emails.${mail}Subject`) }),
      text: `${tr(`emails.${mail}Lead`)}\n\n${tr('emails.signInToView')}\n${tr('emails.requestReference', { id: r.id })}\n`,
    },
  };
}

function words(r: UnblindingRequestRecord, locale: Locale) {
  const tr = (key: string, params?: MessageParams) => translate(locale, key, params);
  return {
    tr,
    patient: tr('notifications.patient', { screening: r.screeningNumber, site: r.siteCode }),
    urgent: r.emergency ? tr('notifications.emergencyPrefix') : '',
  };
}

/** To the medical monitors when a request is made. */
export function requestedNotice(r: UnblindingRequestRecord): LocalizedMessage {
  return (locale) => {
    const { tr, patient, urgent } = words(r, locale);
    if (r.policy === 'break-the-glass') {
      return message(
        r,
        'unblinding.break-the-glass',
        locale,
        tr('notifications.btgTitle', { urgent, patient }),
        tr('notifications.btgBody', { requester: r.requestedByName, patient, reason: r.reason }),
        'btg',
      );
    }
    const needs = tr(r.policy === 'two-person' ? 'notifications.needsTwoApprovers' : 'notifications.needsYourDecision');
    return message(
      r,
      'unblinding.requested',
      locale,
      tr('notifications.requestedTitle', { urgent, patient }),
      tr('notifications.requestedBody', {
        requester: r.requestedByName,
        patient,
        policy: tr(`unblinding.policy.${r.policy}`),
        needs,
        reason: r.reason,
      }),
      'requested',
    );
  };
}

/** To the other monitors when the first of two approvals is in. */
export function secondApprovalNotice(r: UnblindingRequestRecord, firstApprover: string): LocalizedMessage {
  return (locale) => {
    const { tr, patient } = words(r, locale);
    return message(
      r,
      'unblinding.second-approval-needed',
      locale,
      tr('notifications.secondTitle', { patient }),
      tr('notifications.secondBody', { approver: firstApprover, patient }),
      'second',
    );
  };
}

/** To the requester when the request is decided (or reviewed). Never the arm: that is behind the console's reveal. */
export function decisionNotice(
  r: UnblindingRequestRecord,
  outcome: 'approved' | 'denied' | 'reviewed',
  by: string,
  comment: string,
): LocalizedMessage {
  return (locale) => {
    const { tr, patient } = words(r, locale);
    return message(
      r,
      `unblinding.${outcome}`,
      locale,
      tr(`notifications.${outcome}Title`, { patient }),
      tr(`notifications.${outcome}Body`, { by, patient, comment }),
      'decision',
      patientLink(r, outcome === 'approved'),
    );
  };
}

/** To the monitors when the requester first views the allocation. */
export function revealedNotice(r: UnblindingRequestRecord): LocalizedMessage {
  return (locale) => {
    const { tr, patient } = words(r, locale);
    return message(
      r,
      'unblinding.revealed',
      locale,
      tr('notifications.revealedTitle', { patient }),
      tr('notifications.revealedBody', { requester: r.requestedByName, patient }),
      'revealed',
    );
  };
}
