/**
 * Notifications: a per-user inbox in the console, and an e-mail for each recipient with an address
 * (queued in the outbox in the same transaction). Texts are written by the callers without arms;
 * as a second line, a message for a blinded recipient that still names an arm, product or sequence
 * is replaced by a neutral "sign in to view" text before it is stored or mailed (fail closed).
 */
import { Injectable, Logger } from '@nestjs/common';
import { studyPagePath } from '../../../../shared/study-paths.js';
import { randomUUID } from 'node:crypto';
import type { NotificationInbox, StudyStatus } from '../../../../shared/contract.js';
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import { isBlindedAt, type Role } from '../../../../shared/roles.js';
import { findLeak } from '../../common/blinding.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import type { UserRecord } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { recipientLocale } from '../accounts/locale.js';
import { MailOutbox } from './mail-outbox.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { NotificationsRepository, studyMembersWithRole } from './notifications.repository.js';

/** What one event tells its recipients: a console text and a shorter e-mail that only points to the console. */
export interface NotificationMessage {
  kind: string;
  title: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
  /** The console path of the record (patient page, request, reveal); the e-mail gets it as a full URL. */
  link?: string | null;
  mail: { subject: string; text: string };
}

/** The e-mail line that points to the console record, when the message has a link. */
/**
 * A notice's link opens the page in the notice's study (`/s/<code>/...`): read in another study's console, from an
 * e-mail or on another device, it must not open the same path in whichever study the console was last in.
 * The instance's admin pages have no study.
 */
function inStudy(studyCode: string, link: string | null | undefined): string | null {
  if (!link) return null;
  if (link.startsWith('/s/') || /^\/admin\/(users|role-grants|sites|qualification)\b/.test(link)) return link;
  return studyPagePath(studyCode, link);
}

function linkLine(publicUrl: string, link: string | null | undefined, locale: Locale): string {
  return link ? `\n${translate(locale, 'emergency.mail.open', { url: `${publicUrl}${link}` })}\n` : '';
}

/**
 * A message written for one language. notify() calls it once per recipient with that person's language
 * (their choice, else their site's, else DEFAULT_LOCALE), so a French and an English monitor each read the
 * same event in their own words. Build texts with translate(locale, 'notifications.key', params).
 */
export type LocalizedMessage = (locale: Locale) => NotificationMessage;

/** The neutral text used when a message for a blinded recipient would have unblinded them. */
function neutral(message: NotificationMessage, locale: Locale): NotificationMessage {
  const title = translate(locale, 'notifications.neutralTitle');
  const body = translate(locale, 'notifications.neutralBody');
  return {
    ...message,
    title,
    body,
    mail: { subject: translate(locale, 'emails.subject', { title }), text: `${title}.\n\n${body}\n` },
  };
}

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly outbox: MailOutbox,
  ) {}

  /** Active people holding one of these roles in the study (e.g. the study's medical monitors). */
  async recipientsWithRole(sql: Sql, studyId: number, ...roles: Role[]): Promise<UserRecord[]> {
    const lists = await Promise.all(roles.map((r) => studyMembersWithRole(sql, studyId, r)));
    return lists.flat();
  }

  /** Active accounts of these instance roles (users.role, e.g. every administrator), for instance events. */
  instanceRecipients(sql: Sql, ...roles: Role[]): Promise<UserRecord[]> {
    return Promise.all(roles.map((r) => UsersRepository.listActiveByRole(sql, r))).then((lists) => lists.flat());
  }

  /**
   * Whether a recipient is blinded in the transaction's study: by their role in that study (none: blinded,
   * fail closed), never by the account's role in another study.
   */
  private async blindedIn(tx: WriteTx, user: UserRecord, studyStatus: StudyStatus | null): Promise<boolean> {
    const role = (await StudyRolesRepository.live(tx.sql, tx.studyId, user.id))?.role;
    return role === undefined || isBlindedAt(role, studyStatus);
  }

  /** The language a recipient reads (their choice, else their site's, else DEFAULT_LOCALE), in the caller's transaction. */
  localeOf(sql: Sql, user: UserRecord): Promise<Locale> {
    return recipientLocale(sql, user, this.db.config.defaultLocale);
  }

  /**
   * Stores the message in each recipient's inbox and queues its e-mail, inside the caller's transaction.
   * Pass a LocalizedMessage so that each recipient gets it in their language; a plain message is sent as written.
   */
  async notify(tx: WriteTx, recipients: UserRecord[], message: NotificationMessage | LocalizedMessage): Promise<void> {
    const vocabulary = this.study.vocabulary(tx.studyId);
    const studyCode = this.study.protocol(tx.studyId).study.code;
    // Read in the same transaction: a trial statistician is blinded until the study is unblinded.
    const studyStatus = recipients.length ? await StudyRepository.status(tx.sql, tx.studyId) : null;
    let kind = typeof message === 'function' ? '' : message.kind;
    let about: Pick<NotificationMessage, 'entityType' | 'entityId'> | null =
      typeof message === 'function' ? null : message;
    for (const user of recipients) {
      const locale = await this.localeOf(tx.sql, user);
      let m = typeof message === 'function' ? message(locale) : message;
      kind = m.kind;
      about ??= m;
      if (
        vocabulary &&
        findLeak({ title: m.title, body: m.body, mail: m.mail }, vocabulary) &&
        (await this.blindedIn(tx, user, studyStatus))
      ) {
        this.logger.error(
          `BLINDING GUARD: a ${m.kind} notification for ${user.username} named an arm or product; a neutral text was sent instead`,
        );
        m = neutral(m, locale);
      }
      const id = randomUUID();
      await NotificationsRepository.insert(tx.sql, tx.studyId, {
        id,
        userId: user.id,
        kind: m.kind,
        title: m.title,
        body: m.body,
        entityType: m.entityType,
        entityId: m.entityId,
        link: inStudy(studyCode, m.link),
        createdAt: tx.now,
        readAt: null,
      });
      const text = m.mail.text + linkLine(this.db.config.publicUrl, inStudy(studyCode, m.link), locale);
      if (user.email)
        await this.outbox.queue(tx, { notificationId: id, to: user.email, subject: m.mail.subject, text });
    }
    if (recipients.length && about) {
      tx.audit({
        action: 'notification.sent',
        entityType: about.entityType ?? 'notification',
        entityId: about.entityId,
        details: {
          kind,
          recipients: recipients.map((u) => u.username),
          emails: this.outbox.enabled ? recipients.filter((u) => u.email).length : 0,
        },
      });
    }
  }

  async inbox(viewer: Viewer, limit = 100): Promise<NotificationInbox> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const rows = await NotificationsRepository.forUser(sql, studyId, viewer.userId, limit);
      const unread = await NotificationsRepository.unreadCount(sql, studyId, viewer.userId);
      return { items: rows.map(({ userId: _u, ...n }) => ({ ...n, read: n.readAt !== null })), unread };
    });
  }

  /** Marks one of the caller's notifications read; another user's (or another study's) notification is 404. */
  async markRead(viewer: Viewer, id: string): Promise<NotificationInbox> {
    const studyId = viewer.studyId!;
    const n = await this.db.read((sql) => NotificationsRepository.findForUser(sql, studyId, id, viewer.userId));
    if (!n) throw new DomainError('NOT_FOUND', 'The notification was not found.');
    if (!n.readAt) {
      await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
        await NotificationsRepository.markRead(tx.sql, tx.studyId, id, tx.now);
        tx.audit({ action: 'notification.read', entityType: 'notification', entityId: id, details: { kind: n.kind } });
      });
    }
    return this.inbox(viewer);
  }
}
