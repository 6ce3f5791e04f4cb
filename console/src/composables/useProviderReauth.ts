/** The fresh login at the identity provider that a signature by an SSO account needs (see useProvider.ts). */
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { startReauth } from '../api/oidc.js';
import { errorSentence } from '../api/http.js';
import { t } from '../i18n/index.js';
import { loadProvider, REAUTH_MESSAGE } from './useProvider.js';

export function useProviderReauth() {
  const ticket = ref<string | null>(null);
  const waiting = ref(false);
  const error = ref<string | null>(null);
  const name = ref('');

  async function confirm(): Promise<void> {
    // Opened at once, inside the click: browsers block windows opened after an await.
    const popup = window.open('', 'blindrand-reauth', 'popup,width=520,height=680');
    if (!popup) {
      error.value = t('oidc.popupBlocked');
      return;
    }
    ticket.value = null;
    error.value = null;
    waiting.value = true;
    try {
      popup.location.href = (await startReauth()).authorizationUrl;
    } catch (e) {
      popup.close();
      waiting.value = false;
      error.value = errorSentence(e);
    }
  }

  // The return page speaks on a same-origin channel (OidcReturnPage.vue): only this site's pages can post on it.
  let channel: BroadcastChannel | null = null;
  function onMessage(event: MessageEvent): void {
    if (!waiting.value || event.data?.type !== REAUTH_MESSAGE) return;
    waiting.value = false;
    if (typeof event.data.ticket === 'string') ticket.value = event.data.ticket;
    else error.value = t('oidc.reauthFailed');
  }

  onMounted(async () => {
    channel = new BroadcastChannel(REAUTH_MESSAGE);
    channel.onmessage = onMessage;
    name.value = (await loadProvider()).name ?? '';
  });
  onBeforeUnmount(() => channel?.close());
  return { ticket, waiting, error, name, confirm };
}
