/**
 * What is shown of unblinding requests (never an arm: every reader but the requester's reveal is
 * blinded) and the reveal itself, which is built only by the reveal service for the requester.
 */
import type { EmergencyRule, Protocol } from '../../../../shared/protocol/index.js';
import type {
  RevealView,
  SignatureManifest,
  UnblindingDecisionView,
  UnblindingRegisterEntry,
  UnblindingRequestView,
} from '../../../../shared/contract.js';
import type { Viewer } from '../../common/viewer.js';
import type { AllocationRecord } from '../participants/participant.record.js';
import { approvalsRequired, canReveal } from './unblinding-lifecycle.js';
import type { DecisionRecord, RegisterRecord, UnblindingRequestRecord } from './unblinding.repository.js';

/** Printed name, meaning and time of each signature (21 CFR 11.50(b)); the meanings are fixed texts per act, never an arm. */
type Manifests = Map<string, SignatureManifest>;

const toDecisionView = (d: DecisionRecord, signatures: Manifests): UnblindingDecisionView => ({
  kind: d.kind,
  approve: d.approve,
  comment: d.comment,
  by: d.decidedBy,
  byName: d.decidedByName,
  at: d.decidedAt,
  signatureId: d.signatureId,
  signature: signatures.get(d.signatureId) ?? null,
});

export function toUnblindingRequestView(
  r: UnblindingRequestRecord,
  decisions: DecisionRecord[],
  viewer: Viewer,
  rule?: EmergencyRule,
  signatures: Manifests = new Map(),
): UnblindingRequestView {
  const mine = decisions.filter((d) => d.requestId === r.id);
  const approvals = mine.filter((d) => d.kind === 'approval');
  const last = approvals[approvals.length - 1] ?? null;
  const review = mine.filter((d) => d.kind === 'review').map((d) => toDecisionView(d, signatures));
  return {
    id: r.id,
    participantId: r.participantId,
    screeningNumber: r.screeningNumber,
    siteCode: r.siteCode,
    randomizationNumber: r.randomizationNumber,
    treatmentCode: r.treatmentCode,
    policy: r.policy,
    status: r.status,
    reason: r.reason,
    emergency: r.emergency,
    requestedBy: r.requestedBy,
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt,
    /** The requester's signature (printed name, meaning, time). */
    signature: signatures.get(r.signatureId) ?? null,
    approvalsRequired: approvalsRequired(r.policy),
    approvals: approvals.filter((d) => d.approve).length,
    decisions: approvals.map((d) => toDecisionView(d, signatures)),
    decidedBy: r.decidedAt ? (last?.decidedBy ?? null) : null,
    decidedAt: r.decidedAt,
    comment: r.decidedAt ? (last?.comment ?? null) : null,
    reviews: review,
    firstRevealedAt: r.firstRevealedAt,
    revealCount: r.revealCount,
    escalatedAt: r.escalatedAt,
    escalatedTo: r.escalatedTo,
    /** When the server will escalate this request if nobody decides it (pending, never escalated, a rule exists). */
    escalatesAt:
      rule && r.status === 'pending' && !r.escalatedAt
        ? new Date(Date.parse(r.requestedAt) + rule.escalateAfterMinutes * 60_000).toISOString()
        : null,
    /** True for the requester: this request is theirs (the patient's page shows it before a new one is typed). */
    mine: r.requestedById === viewer.userId,
    /** True only for the requester, once the reveal is open to them. */
    canReveal: r.requestedById === viewer.userId && canReveal(r.status),
  };
}

export type { UnblindingRequestView };

/** The reveal for the requester: the arm (the sequence, in a crossover) and the product given in each period. */
export function toRevealView(
  r: UnblindingRequestRecord,
  allocation: AllocationRecord,
  protocol: Protocol,
  revealedAt: string,
  viewCount: number,
): RevealView {
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
    requestId: r.id,
    participantId: r.participantId,
    screeningNumber: r.screeningNumber,
    siteCode: r.siteCode,
    randomizationNumber: allocation.randomizationNumber,
    treatmentCode: allocation.treatmentCode,
    design: protocol.design,
    arm: arm.code,
    armLabel: arm.label,
    ...(protocol.design === 'crossover'
      ? { sequence: arm.products.join('-') }
      : { product: periods[0]?.product, productLabel: periods[0]?.productLabel }),
    periods,
    revealedAt,
    viewCount,
  };
}

/** A row of the unblinding register (for auditors): who saw which patient's allocation, when and why. Never the arm. */
export function toRegisterView(r: RegisterRecord): UnblindingRegisterEntry {
  return {
    kind: r.kind,
    participantId: r.participantId,
    screeningNumber: r.screeningNumber,
    siteCode: r.siteCode,
    scope: r.participantId ? 'one participant' : 'every participant',
    requestId: r.requestId,
    seenBy: r.username,
    seenByName: r.displayName,
    role: r.role,
    reason: r.reason,
    at: r.seenAt,
  };
}

export type RegisterView = UnblindingRegisterEntry;
export const REGISTER_COLUMNS: Array<keyof RegisterView & string> = [
  'at',
  'kind',
  'participantId',
  'screeningNumber',
  'siteCode',
  'scope',
  'requestId',
  'seenBy',
  'seenByName',
  'role',
  'reason',
];
