import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as api from '../api/client.js';
import { errorSentence } from '../api/http.js';
import type { StudyView } from '../../../shared/contract.js';

/** The study as the signed-in role may see it: status and list fingerprint for the header, the protocol for forms. */
export const useStudyStore = defineStore('study', () => {
  const study = ref<StudyView | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** Counts loads: after a study switch only the answer of the latest one is kept (an older one may come last). */
  let loads = 0;

  /** Loads (or reloads) GET /api/study, of the study the console is in. */
  async function load(): Promise<void> {
    const mine = ++loads;
    loading.value = true;
    error.value = null;
    try {
      const answer = await api.getStudy();
      if (mine === loads) study.value = answer;
    } catch (e) {
      if (mine === loads) error.value = errorSentence(e);
    } finally {
      if (mine === loads) loading.value = false;
    }
  }

  /** Replaces the study after an action that returned it (activate, lock, unblind). */
  function set(value: StudyView | null | undefined): void {
    if (value && typeof value === 'object' && 'status' in value) study.value = value;
  }

  function reset(): void {
    loads++;
    loading.value = false;
    study.value = null;
    error.value = null;
  }

  return { study, loading, error, load, set, reset };
});
