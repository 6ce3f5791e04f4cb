/**
 * The texts of unblinding notifications. None of them ever names an arm, product or sequence: the
 * recipients are blinded (monitors, investigators). The console text may name the patient; the
 * e-mail names nothing but the kind of event and asks the reader to sign in — the requester's
 * reveal lives only in the console, behind sign-in.
 */
import type { NotificationMessage } from '../notifications/notifications.service.js';
import type { UnblindingRequestRecord } from './unblinding.repository.js';

const SIGN_IN = 'Sign in to blindrand to view it.';

function message(r: UnblindingRequestRecord, kind: string, title: string, body: string, mailSubject: string, mailLead: string): NotificationMessage {
  return {
    kind,
    title,
    body,
    entityType: 'unblinding-request',
    entityId: r.id,
    mail: { subject: `[blindrand] ${mailSubject}`, text: `${mailLead}\n\n${SIGN_IN}\nRequest reference: ${r.id}\n` },
  };
}

const patient = (r: UnblindingRequestRecord) => `patient ${r.screeningNumber} (site ${r.siteCode})`;
const urgency = (r: UnblindingRequestRecord) => (r.emergency ? 'Emergency: ' : '');

/** To the medical monitors when a request is made. */
export function requestedNotice(r: UnblindingRequestRecord): NotificationMessage {
  if (r.policy === 'break-the-glass') {
    return message(r, 'unblinding.break-the-glass', `${urgency(r)}blind broken for ${patient(r)}`,
      `${r.requestedByName} broke the blind for ${patient(r)} under the break-the-glass policy. Reason given: ${r.reason}. Please review the request.`,
      'An emergency unblinding needs your review', 'An investigator broke the blind for a patient under the break-the-glass policy; the request needs your review.');
  }
  const needs = r.policy === 'two-person' ? 'two different approvers' : 'your decision';
  return message(r, 'unblinding.requested', `${urgency(r)}unblinding request for ${patient(r)}`,
    `${r.requestedByName} asks to unblind ${patient(r)} (policy ${r.policy}: ${needs}). Reason given: ${r.reason}.`,
    'An unblinding request needs a decision', 'An unblinding request needs a decision.');
}

/** To the other monitors when the first of two approvals is in. */
export function secondApprovalNotice(r: UnblindingRequestRecord, firstApprover: string): NotificationMessage {
  return message(r, 'unblinding.second-approval-needed', `Second approval needed for ${patient(r)}`,
    `${firstApprover} approved the unblinding request for ${patient(r)}; the two-person policy needs a second, different approver.`,
    'An unblinding request needs a second approver', 'An unblinding request has one approval and needs a second, different approver.');
}

/** To the requester when the request is decided (or reviewed). Never the arm: that is behind the console's reveal. */
export function decisionNotice(r: UnblindingRequestRecord, outcome: 'approved' | 'denied' | 'reviewed', by: string, comment: string): NotificationMessage {
  const what = outcome === 'approved' ? 'approved: you can now view the allocation in the console' : outcome === 'denied' ? 'denied' : 'reviewed by the medical monitor';
  return message(r, `unblinding.${outcome}`, `Your unblinding request for ${patient(r)} was ${outcome}`,
    `${by} ${outcome} your unblinding request for ${patient(r)} (${what}). Comment: ${comment}`,
    'A decision was made on your unblinding request', 'A decision was made on your unblinding request.');
}

/** To the monitors when the requester first views the allocation. */
export function revealedNotice(r: UnblindingRequestRecord): NotificationMessage {
  return message(r, 'unblinding.revealed', `Allocation of ${patient(r)} viewed by the requester`,
    `${r.requestedByName} viewed the allocation of ${patient(r)}. The patient is now marked unblinded.`,
    'A patient was unblinded', 'A patient\'s allocation was shown to the requesting investigator; the patient is now marked unblinded.');
}
