import { computed } from 'vue';
import { routes } from './index.js';
import { useSessionStore } from '../stores/session.js';
import { t } from '../i18n/index.js';

export interface NavGroup {
  group: string;
  items: Array<{ path: string; label: string; name: string }>;
}

/** The navigation for the signed-in role: only the pages whose permissions it holds, grouped; labels are catalogue keys (nav.*). */
export function useNavigation() {
  const session = useSessionStore();
  return computed<NavGroup[]>(() => {
    const groups = new Map<string, NavGroup & { order: number }>();
    const visible = routes
      .filter((r) => r.meta?.nav && (r.meta.permissions ?? []).every((p) => session.can(p)))
      .sort((a, b) => a.meta!.nav!.order - b.meta!.nav!.order);
    for (const r of visible) {
      const nav = r.meta!.nav!;
      if (!groups.has(nav.group)) groups.set(nav.group, { group: t(nav.group), items: [], order: nav.order });
      groups.get(nav.group)!.items.push({ path: r.path, label: t(nav.label), name: String(r.name) });
    }
    return [...groups.values()].sort((a, b) => a.order - b.order);
  });
}
