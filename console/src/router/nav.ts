import { computed } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import { routes } from './index.js';
import { studyPath } from '../stores/enter-study.js';
import { useSessionStore } from '../stores/session.js';
import { useStudiesStore } from '../stores/studies.js';
import { t } from '../i18n/index.js';

export interface NavGroup {
  group: string;
  items: Array<{ path: string; label: string; name: string }>;
}

/** Every route with its link: a study's pages (children of /s/:studyCode) in the current study. */
function pages(records: RouteRecordRaw[], code: string | null): Array<{ r: RouteRecordRaw; path: string }> {
  return records.flatMap((r) => {
    if (r.children) return code ? r.children.map((c) => ({ r: c, path: studyPath(code, c.path) })) : [];
    return [{ r, path: r.path }];
  });
}

/**
 * The navigation for the person in the current study: only the pages their role there permits (the instance
 * pages: their account's role), grouped; labels are catalogue keys (nav.*).
 */
export function useNavigation() {
  const session = useSessionStore();
  const studies = useStudiesStore();
  return computed<NavGroup[]>(() => {
    const groups = new Map<string, NavGroup & { order: number }>();
    const visible = pages(routes, studies.current)
      .filter(({ r }) => {
        const can = r.meta?.instance ? session.canInstance : session.can;
        return r.meta?.nav && (r.meta.permissions ?? []).every((p) => can(p));
      })
      .sort((a, b) => a.r.meta!.nav!.order - b.r.meta!.nav!.order);
    for (const { r, path } of visible) {
      const nav = r.meta!.nav!;
      if (!groups.has(nav.group)) groups.set(nav.group, { group: t(nav.group), items: [], order: nav.order });
      groups.get(nav.group)!.items.push({ path, label: t(nav.label), name: String(r.name) });
    }
    return [...groups.values()].sort((a, b) => a.order - b.order);
  });
}
