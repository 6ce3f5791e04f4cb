/**
 * The unblinding request's lifecycle as data: `pending → approved | denied → revealed` (revealed
 * stays revealed; every further view is recorded, not a transition). The policy decides how a
 * request starts and how many different approvers it needs. Pure: no Nest, no database.
 */
import type { UnblindingPolicy, UnblindingStatus } from '../../../../shared/contract.js';

/** Allowed status changes. Anything else is INVALID_TRANSITION. */
const UNBLINDING_TRANSITIONS: Readonly<Record<UnblindingStatus, readonly UnblindingStatus[]>> = {
  pending: ['approved', 'denied'],
  approved: ['revealed'],
  denied: [],
  revealed: [],
};

export function canTransition(from: UnblindingStatus, to: UnblindingStatus): boolean {
  return UNBLINDING_TRANSITIONS[from].includes(to);
}

/** Break-the-glass: approved by the policy itself, at once (EMA: the investigator may break the blind). */
export function initialStatus(policy: UnblindingPolicy): UnblindingStatus {
  return policy === 'break-the-glass' ? 'approved' : 'pending';
}

/** How many different approvers a request needs before the requester may see the arm. */
export function approvalsRequired(policy: UnblindingPolicy): number {
  return policy === 'two-person' ? 2 : policy === 'monitor-approval' ? 1 : 0;
}

/** Decisions on a pending request are approvals/denials; on a break-the-glass request, reviews afterwards. */
export type DecisionKind = 'approval' | 'review';

export interface DecisionOutcome {
  kind: DecisionKind;
  /** The request's status after this decision (unchanged for a review or a first of two approvals). */
  status: UnblindingStatus;
}

/**
 * What a decision does. One denial is enough to deny (the blind is the safe default); approvals
 * count only from different people, which the caller guarantees before counting `approvalsSoFar`.
 */
export function applyDecision(
  policy: UnblindingPolicy,
  status: UnblindingStatus,
  approve: boolean,
  approvalsSoFar: number,
): DecisionOutcome | null {
  if (policy === 'break-the-glass')
    return status === 'approved' || status === 'revealed' ? { kind: 'review', status } : null;
  if (status !== 'pending') return null;
  if (!approve) return { kind: 'approval', status: 'denied' };
  const approvals = approvalsSoFar + 1;
  return { kind: 'approval', status: approvals >= approvalsRequired(policy) ? 'approved' : 'pending' };
}

/** The requester may see the arm once the request is approved (or already revealed). */
export function canReveal(status: UnblindingStatus): boolean {
  return status === 'approved' || status === 'revealed';
}
