/**
 * A period's timing as the protocol file writes it ("day 0", "week 24", "month 6"), turned into a
 * day offset from randomization, and the preparation's due window around it. Pure: the pharmacy
 * task list and the protocol checks both use it, so a timing the checks accept always has a window.
 */
import type { Period } from './types.js';

/** Days in the units a protocol may use; a month is counted as 30 days (visit windows absorb the rest). */
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7, month: 30, months: 30 };

/** The default half-width of a due window, in days, when the period gives no `windowDays`. */
const DEFAULT_WINDOW_DAYS = 3;

/** "week 24" → 168; null when the text is not "<unit> <number>" (or "<number> <unit>"). */
export function parsePeriodTiming(timing: string): number | null {
  const text = timing.trim().toLowerCase();
  const m =
    /^(day|days|week|weeks|month|months)\s+(\d{1,4})$/.exec(text) ??
    /^(\d{1,4})\s+(day|days|week|weeks|month|months)$/.exec(text);
  if (!m) return null;
  const [unit, n] = /^\d/.test(m[1]) ? [m[2], Number(m[1])] : [m[1], Number(m[2])];
  return n * UNIT_DAYS[unit];
}

export interface DueWindow {
  /** The target date (randomization + the period's offset), ISO date-time UTC. */
  dueAt: string;
  dueFrom: string;
  dueBy: string;
  offsetDays: number;
}

const DAY_MS = 86_400_000;

/**
 * The window in which the period's preparation is due. A period without timing is treated as
 * day 0 for period 1 and unknown otherwise (null): nothing is invented.
 */
export function dueWindow(period: Period, index: number, randomizedAt: string): DueWindow | null {
  const offset = period.timing !== undefined ? parsePeriodTiming(period.timing) : index === 0 ? 0 : null;
  if (offset === null) return null;
  const half = period.windowDays ?? DEFAULT_WINDOW_DAYS;
  const base = Date.parse(randomizedAt) + offset * DAY_MS;
  // Day 0 is due from randomization itself, never before it.
  const from = Math.max(Date.parse(randomizedAt), base - half * DAY_MS);
  return {
    dueAt: new Date(base).toISOString(),
    dueFrom: new Date(from).toISOString(),
    dueBy: new Date(base + half * DAY_MS).toISOString(),
    offsetDays: offset,
  };
}
