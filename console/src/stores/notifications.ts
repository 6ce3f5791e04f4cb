import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as api from '../api/client.js';
import type { NotificationView } from '../../../shared/contract.js';

/** The in-console notification inbox and its unread count (shown in the navigation). */
export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<NotificationView[]>([]);
  const unread = ref(0);
  const available = ref(true);

  /** Refreshes the inbox; a missing endpoint just hides the count. */
  async function refresh(): Promise<void> {
    try {
      const inbox = await api.getInbox();
      items.value = inbox.items;
      unread.value = inbox.unread;
      available.value = true;
    } catch {
      available.value = false;
    }
  }

  /** Marks one notification read, then refreshes the count. */
  async function markRead(id: string): Promise<void> {
    await api.markNotificationRead(id);
    await refresh();
  }

  return { items, unread, available, refresh, markRead };
});
