/**
 * What is shown of safety unblindings and inadvertent-unblinding reports (never an arm: every reader of these
 * views is blinded or may be), and the allocation description used only by the three surfaces allowed to carry
 * an arm: the pharmacovigilance reveal, the e-mail to the designated address and the end-of-study disclosure.
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import type {
  AllocationDescription,
  InadvertentView,
  SafetyRevealView,
  SafetyUnblindingView,
} from '../../../../shared/contract.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import { hasPermission, Permission } from '../../../../shared/roles.js';
import type { Viewer } from '../../common/viewer.js';
import type { AllocationRecord } from '../participants/participant.record.js';
import type { InadvertentPatient, InadvertentReportRecord, SafetyUnblindingRecord } from './safety.repository.js';

/** The arm (the sequence, in a crossover) and the product given in each period. Only for unblinded surfaces. */
export function describeAllocation(allocation: AllocationRecord, protocol: Protocol): AllocationDescription {
  const arm = protocol.arms.find((a) => a.code === allocation.armCode);
  if (!arm) throw new Error(`arm ${allocation.armCode} of allocation ${allocation.id} is not in the protocol`);
  const periods = protocol.periods.map((p, i) => {
    const product = protocol.products.find((x) => x.code === arm.products[i]);
    return {
      period: p.number,
      label: p.label,
      product: arm.products[i],
      productLabel: product?.label ?? arm.products[i],
    };
  });
  return {
    design: protocol.design,
    arm: arm.code,
    armLabel: arm.label,
    ...(protocol.design === 'crossover'
      ? { sequence: arm.products.join('-') }
      : { product: periods[0]?.product, productLabel: periods[0]?.productLabel }),
    periods,
  };
}

/**
 * A safety unblinding as the requester, the monitors, the auditors and the pharmacovigilance users see it:
 * who asked, for which patient, where it went, when it was viewed. The same fields and sizes for every arm.
 */
export function toSafetyUnblindingView(
  r: SafetyUnblindingRecord,
  viewer: Viewer,
  locale: Locale,
): SafetyUnblindingView {
  return {
    id: r.id,
    participantId: r.participantId,
    screeningNumber: r.screeningNumber,
    siteCode: r.siteCode,
    randomizationNumber: r.randomizationNumber,
    treatmentCode: r.treatmentCode,
    reason: r.reason,
    reportReference: r.reportReference,
    recipient: {
      kind: r.recipientKind,
      label: translate(locale, `safety.recipient.${r.recipientKind}`),
      ...(r.recipientKind === 'email' ? { address: r.recipient } : { role: r.recipient }),
    },
    status: 'delivered' as const,
    confirmation: translate(locale, 'safety.confirmation'),
    requestedBy: r.requestedBy,
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt,
    signatureId: r.signatureId,
    firstViewedAt: r.firstViewedAt,
    viewCount: r.viewCount,
    /** True only for a pharmacovigilance user, on a request addressed to that role. */
    canView: r.recipientKind === 'role' && hasPermission(viewer.role, Permission.ReceiveSafetyUnblinding),
  };
}

export type { SafetyUnblindingView };

/** The pharmacovigilance reveal: one patient's allocation. */
export function toSafetyRevealView(
  r: SafetyUnblindingRecord,
  allocation: AllocationRecord,
  protocol: Protocol,
  viewedAt: string,
  viewCount: number,
): SafetyRevealView {
  return {
    safetyUnblindingId: r.id,
    participantId: r.participantId,
    screeningNumber: r.screeningNumber,
    siteCode: r.siteCode,
    randomizationNumber: allocation.randomizationNumber,
    treatmentCode: allocation.treatmentCode,
    reason: r.reason,
    reportReference: r.reportReference,
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt,
    ...describeAllocation(allocation, protocol),
    viewedAt,
    viewCount,
  };
}

/** A signed inadvertent-unblinding report (checked free text; never an arm). */
export function toInadvertentView(r: InadvertentReportRecord, patients: InadvertentPatient[]): InadvertentView {
  return {
    id: r.id,
    occurredOn: r.occurredOn,
    patients: patients.filter((p) => p.reportId === r.id).map(({ reportId: _r, ...p }) => p),
    howItHappened: r.howItHappened,
    whoWasUnblinded: r.whoWasUnblinded,
    impactAssessment: r.impactAssessment,
    correctiveAction: r.correctiveAction,
    reportedBy: r.reportedBy,
    reportedByName: r.reportedByName,
    reporterRole: r.reporterRole,
    reportedAt: r.reportedAt,
    signatureId: r.signatureId,
  };
}

export type { InadvertentView };
