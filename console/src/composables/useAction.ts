import { ref } from 'vue';
import { errorSentence } from '../api/http.js';

/**
 * The pending flag and error sentence of one user action (a form's submit, a download): `busy`
 * disables its button while it runs, and a failure is shown as a sentence next to it.
 */
export function useAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** Runs `action`; resolves true when it succeeded, false when its error is now in `error`. */
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      await action();
      return true;
    } catch (e) {
      error.value = errorSentence(e);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
