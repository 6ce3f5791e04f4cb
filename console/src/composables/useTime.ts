/** Times are shown in the user's zone; the UTC value is kept at hand in a tooltip. */
const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatLocal(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : local.format(d);
}

export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}`;
}

export function userTimeZone(): string {
  return zoneName;
}
