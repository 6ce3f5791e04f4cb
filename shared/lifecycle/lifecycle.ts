/**
 * Lifecycles as data: each one is a list of allowed moves (from, event, to, who may, guard) and,
 * per event, the error code a refused move answers with. One generic reader serves every table;
 * the server's `transition()` (server/src/database/transition.ts) applies them, the console and the
 * docs render them. Pure: no Nest, no database.
 */
import type { ErrorCode } from '../errors.js';
import type { Permission } from '../roles.js';

/** One allowed move. `from: null` creates the record (its first status). */
export interface Move<S extends string, E extends string> {
  from: S | null;
  event: E;
  to: S;
  /** The permission the acting person holds (the controller's guard checks the same one). */
  who: Permission;
  /** What else must hold, checked by the caller before the move (named here so the table says it). */
  guard: string;
  /** The audit action the move is recorded under (one entry, with `changes.status`). */
  audit: string;
}

export interface Lifecycle<S extends string, E extends string> {
  /** The audit entity type of the record whose status moves. */
  entityType: string;
  statuses: readonly S[];
  moves: readonly Move<S, E>[];
  /**
   * The code of a refused move, per event and (optionally) per current status; INVALID_TRANSITION
   * when nothing more precise is said. Always a 409 (checked by the unit tests).
   */
  refused: Readonly<Partial<Record<E, ErrorCode | Readonly<Partial<Record<S, ErrorCode>>>>>>;
}

/** The allowed moves of `event` from `from` (several when the guard chooses the target, e.g. eligibility). */
export function movesFrom<S extends string, E extends string>(
  lc: Lifecycle<S, E>,
  from: S | null,
  event: E,
): Move<S, E>[] {
  return lc.moves.filter((m) => m.from === from && m.event === event);
}

/** The one move of `event` from `from` to `to` (or the only one when `to` is omitted), else null. */
export function findMove<S extends string, E extends string>(
  lc: Lifecycle<S, E>,
  from: S | null,
  event: E,
  to?: S,
): Move<S, E> | null {
  const candidates = movesFrom(lc, from, event).filter((m) => to === undefined || m.to === to);
  return candidates.length === 1 ? candidates[0] : null;
}

export function canMove<S extends string, E extends string>(
  lc: Lifecycle<S, E>,
  from: S | null,
  event: E,
  to?: S,
): boolean {
  return findMove(lc, from, event, to) !== null;
}

/** The code a refused `event` from `from` answers with. */
export function refusalCode<S extends string, E extends string>(
  lc: Lifecycle<S, E>,
  from: S | null,
  event: E,
): ErrorCode {
  const rule = lc.refused[event];
  if (rule === undefined) return 'INVALID_TRANSITION';
  if (typeof rule === 'string') return rule;
  return (from !== null ? rule[from] : undefined) ?? 'INVALID_TRANSITION';
}

/** The events a record in `from` may take (for a console's buttons or a listing). */
export function eventsFrom<S extends string, E extends string>(lc: Lifecycle<S, E>, from: S | null): E[] {
  return [...new Set(lc.moves.filter((m) => m.from === from).map((m) => m.event))];
}

/** The table as Markdown (docs/ARCHITECTURE-NOTES.md is checked against it by the unit test). */
export function renderTable<S extends string, E extends string>(lc: Lifecycle<S, E>): string {
  const rows = lc.moves.map(
    (m) => `| ${m.from ?? '(new)'} | ${m.event} | ${m.to} | ${m.who} | ${m.guard} | ${m.audit} |`,
  );
  const refused = Object.entries(lc.refused).map(([event, rule]) =>
    typeof rule === 'string'
      ? `${event}: ${rule}`
      : `${event}: ${Object.entries(rule as Record<string, string>)
          .map(([s, c]) => `from ${s} ${c}`)
          .join(', ')}`,
  );
  return [
    '| from | event | to | who may | guard | audit action |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Refused moves answer 409 with: ${[...refused, 'otherwise INVALID_TRANSITION'].join('; ')}.`,
  ].join('\n');
}
