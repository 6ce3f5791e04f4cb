import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { StudyMembershipView } from '../../../shared/contract.js';
import * as api from '../api/client.js';
import { bindStudy } from '../api/study-scope.js';
import { useStudyStore } from './study.js';

/**
 * The studies a person may open (GET /api/studies) and the one the console is in (docs/MULTI-STUDY.md
 * decision 9). The route decides which study is current (`/s/:studyCode/...`, router/study-guard.ts); this
 * store holds it, binds the API client to it and reloads the study header when it changes.
 */
export const useStudiesStore = defineStore('studies', () => {
  const list = ref<StudyMembershipView[]>([]);
  /** The account the list was read for: another person signing in on this tab reads their own. */
  const loadedFor = ref<string | null>(null);
  const current = ref<string | null>(null);
  /** True when the list could not be read (the no-study page says so rather than "no study"). */
  const failed = ref(false);

  /** Only a study the person holds a role in can be opened (an instance admin also lists the others, role null). */
  const openable = computed(() => list.value.filter((s) => s.role !== null));
  const membership = computed(() => openable.value.find((s) => s.code === current.value) ?? null);
  /** The person's role in the current study: what the navigation and the pages follow. */
  const role = computed(() => membership.value?.role ?? null);

  const isOpenable = (code: string) => openable.value.some((s) => s.code === code);

  /** Reads the list once per signed-in account. */
  async function load(userId: string): Promise<void> {
    if (loadedFor.value === userId) return;
    try {
      list.value = await api.listStudies();
      loadedFor.value = userId;
      failed.value = false;
    } catch {
      list.value = [];
      failed.value = true;
    }
    if (current.value && !isOpenable(current.value)) select(null);
  }

  /** The study to open when the link names none: the remembered one while it can be opened, else the first. */
  function preferred(remembered: string | null | undefined): string | null {
    if (current.value && isOpenable(current.value)) return current.value;
    if (remembered && isOpenable(remembered)) return remembered;
    return openable.value[0]?.code ?? null;
  }

  /** Makes a study current: every study call goes there from now on, and the header shows it. */
  function select(code: string | null): void {
    if (code === current.value) return;
    current.value = code;
    bindStudy(code);
    const header = useStudyStore();
    header.reset();
    if (code) void header.load();
  }

  /** Signed out: nothing of the last person's studies stays. */
  function reset(): void {
    list.value = [];
    loadedFor.value = null;
    failed.value = false;
    select(null);
  }

  return { list, openable, current, membership, role, failed, isOpenable, load, preferred, select, reset };
});
