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

  /** Loads (or reloads) GET /api/study. */
  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      study.value = await api.getStudy();
    } catch (e) {
      error.value = errorSentence(e);
    } finally {
      loading.value = false;
    }
  }

  /** Replaces the study after an action that returned it (activate, lock, unblind). */
  function set(value: StudyView | null | undefined): void {
    if (value && typeof value === 'object' && 'status' in value) study.value = value;
  }

  function reset(): void {
    study.value = null;
    error.value = null;
  }

  return { study, loading, error, load, set, reset };
});
