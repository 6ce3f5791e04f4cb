import { useStudyStore } from '../../stores/study.js';
import { t } from '../../i18n/index.js';

/**
 * A stratum as people read it, in the protocol's own words: the server's key "course=RRMS|edss=LE5|site=A"
 * becomes "MS course: Relapsing-remitting · Baseline EDSS band: EDSS ≤ 5.0 · Site A" (issue 15: a signer
 * must read what they sign, not codes). A factor the protocol does not name is shown as it came.
 */
export function stratumText(s: unknown): string {
  if (typeof s !== 'string') return s ? JSON.stringify(s) : '—';
  const factors = useStudyStore().study?.strataFactors ?? [];
  return s
    .split('|')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const id = part.slice(0, eq);
      const code = part.slice(eq + 1);
      if (id === 'site') return `${t('forms.stratumSite')} ${code}`;
      const factor = factors.find((f) => f.id === id);
      if (!factor) return part;
      return `${factor.label}: ${factor.levels?.find((l) => l.code === code)?.label ?? code}`;
    })
    .join(' · ');
}
