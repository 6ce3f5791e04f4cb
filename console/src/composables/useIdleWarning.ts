import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import * as api from '../api/client.js';
import { useSessionStore } from '../stores/session.js';
import { t } from '../i18n/index.js';

/** How long before the server's idle limit the warning appears. */
const WARN_BEFORE_SECONDS = 120;

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
let lastInputAt = Date.now();
const markInput = () => (lastInputAt = Date.now());

/**
 * True when the person used the mouse or keyboard within `ms`. Background polling asks this first,
 * so that a tab left open does not keep the session alive forever (every answered request restarts
 * the server's idle clock).
 */
export function userActiveWithin(ms: number): boolean {
  return Date.now() - lastInputAt <= ms;
}

/**
 * The session idle warning: the server ends a session after `idleTimeoutSeconds` without a request
 * (LoginResponse); two minutes before, `warning` turns true. `stay()` sends an authenticated GET
 * (/api/auth/me), which restarts the server's idle clock; at zero the console signs out itself.
 */
export function useIdleWarning(onExpired: () => void | Promise<void>) {
  const session = useSessionStore();
  const now = ref(Date.now());
  const busy = ref(false);
  const error = ref<string | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;

  const remainingSeconds = computed(() =>
    session.idleDeadline === null ? null : Math.max(0, Math.ceil((session.idleDeadline - now.value) / 1000)),
  );
  const warning = computed(() => remainingSeconds.value !== null && remainingSeconds.value <= WARN_BEFORE_SECONDS);

  async function stay(): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      await api.getMe();
      now.value = Date.now();
    } catch {
      // A 401 already signed the session out (http.ts); anything else: say so and keep the button.
      if (session.signedIn) error.value = t('auth.idleUnreachable');
    } finally {
      busy.value = false;
    }
  }

  watch(remainingSeconds, (left) => {
    if (left === 0 && session.signedIn) void onExpired();
  });
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), 1000);
    for (const e of INPUT_EVENTS) window.addEventListener(e, markInput, { passive: true, capture: true });
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    for (const e of INPUT_EVENTS) window.removeEventListener(e, markInput, { capture: true });
  });
  return { warning, remainingSeconds, stay, busy, error };
}
