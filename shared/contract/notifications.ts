/** The in-console inbox. */
export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
  /** The console path of the record the notification is about (e.g. the patient's page), if any. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
  read: boolean;
}

/** GET /api/notifications and POST /api/notifications/:id/read: newest first, with the unread count. */
export interface NotificationInbox {
  items: NotificationView[];
  unread: number;
}
