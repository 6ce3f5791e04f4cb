/**
 * Every time the console shows: in the user's zone, with that zone written beside it (not only in a
 * tooltip, which touch and keyboard users cannot open), formatted for the user's language, and with
 * seconds where the order of events matters (the audit trail). Dates typed or exported are ISO 8601.
 */
import { canonicalTimeZone } from '../../../shared/time-zones.js';
import { locale } from '../i18n/index.js';

const zoneName = canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);

/** One formatter per (locale, seconds): building Intl formatters is the slow part. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(seconds: boolean): Intl.DateTimeFormat {
  const key = `${locale.value}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale.value === 'fr' ? 'fr-FR' : 'en-GB', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: seconds ? '2-digit' : undefined,
      hourCycle: 'h23',
      timeZone: zoneName,
    });
    formatters.set(key, f);
  }
  return f;
}

/** "+01:00" style offset of the user's zone at that instant ("UTC" when it is UTC). */
export function zoneOffset(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zoneName, timeZoneName: 'longOffset' }).formatToParts(d);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? 'UTC' : name.replace('GMT', 'UTC');
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** e.g. "29 Nov 2026, 17:04" (en) / "29 nov. 2026, 17:04" (fr); with seconds: "…17:04:05". The zone is shown beside it by TimeStamp. */
export function formatLocal(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  const d = parse(iso);
  if (!d) return iso ? iso : '—';
  return formatter(!!options.seconds).format(d);
}

/** The same instant with its zone, as one string (for printed sheets and text that has no TimeStamp). */
export function formatWithZone(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  const d = parse(iso);
  if (!d) return iso ? iso : '—';
  return `${formatter(!!options.seconds).format(d)} ${zoneOffset(d)}`;
}

/** ISO 8601 in UTC, to the second: "2026-11-29 16:04:05 UTC". */
export function formatUtc(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return iso ?? '';
  return `${d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')} UTC`;
}

/** The user's zone, by its canonical IANA name (Asia/Kolkata, never Asia/Calcutta). */
export function userTimeZone(): string {
  return zoneName;
}

const ISO_INPUT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date typed as ISO 8601 in the user's zone ("2026-11-29" or "2026-11-29 17:04[:05]") → the instant, or null
 * when it is not a real date in that form. A date without a time is the start of that day, or its last second
 * when `endOfDay` (so that a "to" filter includes the whole day).
 */
export function parseIsoLocal(text: string, endOfDay = false): Date | null {
  const m = ISO_INPUT.exec(text.trim());
  if (!m) return null;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hasTime = m[4] !== undefined;
  const [h, mi, s] = hasTime ? [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)] : endOfDay ? [23, 59, 59] : [0, 0, 0];
  const d = new Date(y, mo - 1, da, h, mi, s, endOfDay && !hasTime ? 999 : 0);
  // Reject 2026-02-30 and 25:00 rather than let Date roll them over.
  if (
    d.getFullYear() !== y ||
    d.getMonth() !== mo - 1 ||
    d.getDate() !== da ||
    d.getHours() !== h ||
    d.getMinutes() !== mi
  )
    return null;
  return d;
}
