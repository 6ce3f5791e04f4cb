import { ref, shallowRef, type Ref } from 'vue';
import { errorSentence } from '../api/http.js';

export interface AsyncState<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** Runs the loader again; keeps the previous data visible while loading. */
  reload: () => Promise<void>;
}

/** Loading, error and data of one API read, for the loading / empty / error states of a page. */
export function useAsync<T>(loader: () => Promise<T>, options: { immediate?: boolean } = {}): AsyncState<T> {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;
  async function reload(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const value = await loader();
      if (mine === generation) data.value = value;
    } catch (e) {
      if (mine === generation) error.value = errorSentence(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }
  if (options.immediate !== false) void reload();
  return { data, loading, error, reload };
}
