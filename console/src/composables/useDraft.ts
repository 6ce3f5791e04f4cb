import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { t } from '../i18n/index.js';
import { useSessionStore } from '../stores/session.js';
import { useStudiesStore } from '../stores/studies.js';

const PREFIX = 'blindrand.draft.';

/**
 * Nothing typed is lost (issue 15): a form's content is kept as a draft in this tab's sessionStorage,
 * keyed by user, study and subject (the patient, or "new"), so it survives a reload and a session that ends
 * (the sign-in page brings the person back to the form). sessionStorage, not localStorage: it goes when the
 * tab is closed, so a shared ward computer does not keep one person's half-typed patient data for the next.
 * Drafts hold only what the person typed — never an allocation — and are cleared on submit and on sign-out.
 *
 * Leaving the form with unsaved changes asks first (route guard + beforeunload), except when the session
 * ended: then the way back is the sign-in page, and the draft is what keeps the work.
 */
export function useDraft<T extends object>(
  form: string,
  subject: () => string,
  snapshot: () => T,
  restore: (draft: T) => void,
) {
  const session = useSessionStore();
  const key = () => draftKey(form, subject());
  const dirty = ref(false);
  /** True when a draft was found and put back into the form. */
  const restored = ref(false);
  let baseline = '';

  const saved = sessionStorage.getItem(key());
  if (saved) {
    try {
      restore(JSON.parse(saved) as T);
      restored.value = true;
      dirty.value = true;
    } catch {
      sessionStorage.removeItem(key());
    }
  }
  baseline = saved ?? JSON.stringify(snapshot());

  watch(
    snapshot,
    (value) => {
      const text = JSON.stringify(value);
      if (!restored.value && text === baseline) return;
      dirty.value = true;
      try {
        sessionStorage.setItem(key(), text);
      } catch {
        /* storage full or disabled: the leave guard still protects the form */
      }
    },
    { deep: true },
  );

  /** After a successful submit: the draft has become a record. */
  function clear(): void {
    sessionStorage.removeItem(key());
    dirty.value = false;
    restored.value = false;
  }

  /** Throws the draft away on request (the person chose to start over). */
  function discard(): void {
    clear();
  }

  onBeforeRouteLeave((to) => {
    if (!dirty.value || to.name === 'sign-in' || !session.signedIn) return true;
    if (window.confirm(t('forms.leaveConfirm'))) {
      clear();
      return true;
    }
    return false;
  });
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!dirty.value) return;
    e.preventDefault();
    e.returnValue = '';
  };
  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload));
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload));

  return { dirty, restored, clear, discard };
}

/** Clears one draft from outside its form (the request form closes before its signature step succeeds). */
export function clearDraft(form: string, subject: string): void {
  sessionStorage.removeItem(draftKey(form, subject));
}

/** One person's draft of one form about one subject in one study (a patient "new" in study A is not B's). */
function draftKey(form: string, subject: string): string {
  const user = useSessionStore().user?.id ?? 'anonymous';
  return `${PREFIX}${form}.${user}.${useStudiesStore().current ?? '-'}.${subject}`;
}

/** On sign-out (a deliberate end, unlike an expired session): this user's drafts go with the session. */
export function clearDrafts(userId: string | undefined): void {
  const mine = `${PREFIX}`;
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(mine) && (!userId || k.includes(`.${userId}.`))) sessionStorage.removeItem(k);
  }
}
