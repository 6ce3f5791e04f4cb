/**
 * The one way a study or a participant changes status: the move is looked up in its lifecycle
 * table (shared/lifecycle/), refused with the table's 409 code when it is not there, the new status
 * is written, and ONE audit entry records it — `changes.status {old, new}` merged into the caller's
 * details (signature, list position…), under the action the table names — all inside the caller's
 * write transaction, so the status and its audit entry commit or roll back together.
 */
import { findMove, movesFrom, refusalCode, type Lifecycle, type Move } from '../../../shared/lifecycle/lifecycle.js';
import { hasPermission, ROLES, type Role } from '../../../shared/roles.js';
import { DomainError } from '../common/domain-error.js';
import type { WriteTx } from './database.service.js';

export interface TransitionSubject<S extends string> {
  id: string;
  /** The status read under this transaction's lock; null when the move creates the record. */
  status: S | null;
}

export interface TransitionOptions<S extends string> {
  /** Writes `to` (an UPDATE guarded by the old status, or the INSERT that creates the record). */
  write: (to: S) => Promise<void>;
  /** The target when the table lets the guard choose (registration: eligible or ineligible). */
  to?: S;
  reason?: string | null;
  /** The rest of the audit entry; `changes.status` is added here. */
  details?: Record<string, unknown>;
  /** A sentence for a refusal that says more than the default (e.g. the randomization number). */
  refusal?: { message: string; details?: unknown };
}

/**
 * The move `event` makes from the subject's status, or the table's 409. transition() calls it; a
 * service calls it first only to refuse before expensive work (a signature) with the same answer.
 */
export function requireMove<S extends string, E extends string>(
  lifecycle: Lifecycle<S, E>,
  subject: TransitionSubject<S>,
  event: E,
  to?: S,
  refusal?: TransitionOptions<S>['refusal'],
): Move<S, E> {
  const move = findMove(lifecycle, subject.status, event, to);
  if (move) return move;
  // Several targets and none named is a programming error; an event the current status does not allow is the user's 409.
  if (to === undefined && movesFrom(lifecycle, subject.status, event).length > 1)
    throw new Error(`transition(${lifecycle.entityType}, ${event}): name the target status`);
  const needs = [...new Set(lifecycle.moves.filter((m) => m.event === event).map((m) => m.from ?? 'new'))].join(' or ');
  const message =
    refusal?.message ??
    `Cannot ${event} the ${lifecycle.entityType}: it is ${subject.status ?? 'new'} (needs ${needs}).`;
  throw new DomainError(refusalCode(lifecycle, subject.status, event), message, refusal?.details);
}

/** Applies `event` to `subject`; returns the new status. Throws the table's 409 code if the move is not allowed. */
export async function transition<S extends string, E extends string>(
  tx: WriteTx,
  lifecycle: Lifecycle<S, E>,
  subject: TransitionSubject<S>,
  event: E,
  options: TransitionOptions<S>,
): Promise<S> {
  const move = requireMove(lifecycle, subject, event, options.to, options.refusal);
  // Defence in depth: the controller's guard checked the same permission. System writes (demo data) have no role.
  const role = tx.actor.role as Role;
  if (tx.actor.userId !== null && ROLES.includes(role) && !hasPermission(role, move.who)) {
    throw new DomainError('FORBIDDEN', `Your role may not ${event} the ${lifecycle.entityType}.`);
  }
  await options.write(move.to);
  const details = options.details ?? {};
  const changes = (details.changes as Record<string, unknown> | undefined) ?? {};
  tx.audit({
    action: move.audit,
    entityType: lifecycle.entityType,
    entityId: subject.id,
    reason: options.reason ?? null,
    details: { ...details, changes: { status: { old: subject.status, new: move.to }, ...changes } },
  });
  return move.to;
}
