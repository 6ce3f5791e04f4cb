/** The per-user inbox and the e-mail outbox, with narrow intent-named queries. */
import type { Role } from '../../../../shared/roles.js';
import { asInt, asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import { toUserRecord, type UserRecord } from '../accounts/user.record.js';

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
  /** The console path of the record the notification is about (e.g. the patient's page), if any. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface OutboxRecord {
  id: string;
  notificationId: string | null;
  toAddress: string;
  subject: string;
  body: string;
  status: 'pending' | 'sending' | 'sent';
  attempts: number;
  nextAttemptAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

const toNotification = (r: Record<string, unknown>): NotificationRecord => ({
  id: asStr(r.id),
  userId: asStr(r.user_id),
  kind: asStr(r.kind),
  title: asStr(r.title),
  body: asStr(r.body),
  entityType: asStrOrNull(r.entity_type),
  entityId: asStrOrNull(r.entity_id),
  link: asStrOrNull(r.link),
  createdAt: asStr(r.created_at),
  readAt: asStrOrNull(r.read_at),
});

const toOutbox = (r: Record<string, unknown>): OutboxRecord => ({
  id: asStr(r.id),
  notificationId: asStrOrNull(r.notification_id),
  toAddress: asStr(r.to_address),
  subject: asStr(r.subject),
  body: asStr(r.body),
  status: asStr(r.status) as OutboxRecord['status'],
  attempts: asInt(r.attempts),
  nextAttemptAt: asStr(r.next_attempt_at),
  claimedBy: asStrOrNull(r.claimed_by),
  claimedAt: asStrOrNull(r.claimed_at),
  lastError: asStrOrNull(r.last_error),
  sentAt: asStrOrNull(r.sent_at),
  createdAt: asStr(r.created_at),
});

export const NotificationsRepository = {
  async insert(sql: Sql, studyId: number, n: NotificationRecord): Promise<void> {
    await sql.exec(
      'INSERT INTO notifications (study_id, id, user_id, kind, title, body, entity_type, entity_id, link, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [studyId, n.id, n.userId, n.kind, n.title, n.body, n.entityType, n.entityId, n.link, n.createdAt, n.readAt],
    );
  },

  /** The newest notifications of one user in one study (the inbox is per study, like every other list). */
  forUser: (sql: Sql, studyId: number, userId: string, limit: number) =>
    sql.all(
      'SELECT * FROM notifications WHERE study_id = ? AND user_id = ? ORDER BY created_at DESC, id LIMIT ?',
      [studyId, userId, limit],
      toNotification,
    ),

  unreadCount: (sql: Sql, studyId: number, userId: string) =>
    sql.count('SELECT COUNT(*) AS n FROM notifications WHERE study_id = ? AND user_id = ? AND read_at IS NULL', [
      studyId,
      userId,
    ]),

  findForUser: (sql: Sql, studyId: number, id: string, userId: string) =>
    sql.one(
      'SELECT * FROM notifications WHERE study_id = ? AND id = ? AND user_id = ?',
      [studyId, id, userId],
      toNotification,
    ),

  markRead: (sql: Sql, studyId: number, id: string, at: string) =>
    sql.exec('UPDATE notifications SET read_at = ? WHERE study_id = ? AND id = ? AND read_at IS NULL', [
      at,
      studyId,
      id,
    ]),
};

/**
 * The active accounts holding `role` in the study (a live study_roles row), as user records whose role and
 * sites are the study role's: the recipients of a study's notices are that study's people, whatever they
 * hold elsewhere.
 */
export const studyMembersWithRole = (sql: Sql, studyId: number, role: Role): Promise<UserRecord[]> =>
  sql.all(
    `SELECT u.*, r.role AS study_role, r.site_codes AS study_site_codes FROM study_roles r JOIN users u ON u.id = r.user_id
     WHERE r.study_id = ? AND r.role = ? AND r.revoked_at IS NULL AND u.active = ? ORDER BY u.username`,
    [studyId, role, true],
    (row) => ({
      ...toUserRecord(row),
      role: asStr(row.study_role) as Role,
      siteCodes: asJson<string[]>(row.study_site_codes, []),
    }),
  );

export const OutboxRepository = {
  async insert(
    sql: Sql,
    m: Pick<OutboxRecord, 'id' | 'notificationId' | 'toAddress' | 'subject' | 'body'>,
    at: string,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO mail_outbox (id, notification_id, to_address, subject, body, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      [m.id, m.notificationId, m.toAddress, m.subject, m.body, at, at],
    );
  },

  /**
   * Messages due now: pending ones whose retry time has come, and ones claimed by an instance that
   * never reported back (crashed mid-send) longer ago than `staleBefore`.
   */
  due: (sql: Sql, now: string, staleBefore: string, limit: number) =>
    sql.all(
      `SELECT * FROM mail_outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?) ORDER BY created_at, id LIMIT ?`,
      [now, staleBefore, limit],
      toOutbox,
    ),

  /**
   * Takes a message for this instance. The status guard in the WHERE clause makes the claim atomic:
   * of several instances on one PostgreSQL, exactly one sees affected = 1 and sends.
   */
  async claim(sql: Sql, id: string, instance: string, now: string, staleBefore: string): Promise<boolean> {
    const { affected } = await sql.exec(
      `UPDATE mail_outbox SET status = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
       WHERE id = ? AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?))`,
      [instance, now, id, now, staleBefore],
    );
    return affected === 1;
  },

  markSent: (sql: Sql, id: string, instance: string, at: string) =>
    sql.exec(`UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND claimed_by = ?`, [
      at,
      id,
      instance,
    ]),

  markFailed: (sql: Sql, id: string, instance: string, error: string, retryAt: string) =>
    sql.exec(
      `UPDATE mail_outbox SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ? AND claimed_by = ?`,
      [error.slice(0, 1000), retryAt, id, instance],
    ),

  find: (sql: Sql, id: string) => sql.one('SELECT * FROM mail_outbox WHERE id = ?', [id], toOutbox),
};
