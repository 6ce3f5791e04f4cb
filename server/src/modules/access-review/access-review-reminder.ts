/**
 * Reminds the admins when a study's access review falls overdue: one notification (console and
 * e-mail) per study and due date. Like the escalation of unblinding requests, it keeps no timer per
 * study: every tick asks the database which reviews are overdue and whether that reminder was already
 * sent, inside one write transaction (writers are serialized), so a restart or a second instance
 * sends it once.
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { translate } from '../../../../shared/i18n/catalogue.js';
import { Clock } from '../../common/clock.js';
import { PeriodicTask } from '../../common/periodic-task.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { AccessReviewsRepository, listStudies, nextDueAt } from './access-review.repository.js';

const KIND = 'access-review.overdue';

@Injectable()
export class AccessReviewReminder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    'access review reminder',
    () => this.runOnce(),
    new Logger('AccessReviewReminder'),
  );

  constructor(
    private readonly db: DatabaseService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.db.config.escalationCheckMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async runOnce(): Promise<void> {
    const now = this.clock.iso();
    const due = await this.db.read(async (sql) => {
      const out: Array<{ id: number; code: string; due: string }> = [];
      for (const study of await listStudies(sql)) {
        const at = nextDueAt(
          study,
          await AccessReviewsRepository.latest(sql, study.id),
          this.db.config.accessReviewIntervalDays,
        );
        if (now > at) out.push({ id: study.id, code: study.code, due: at });
      }
      return out;
    });
    for (const d of due) if (!this.task.isStopped) await this.remind(d.id, d.code, d.due);
  }

  /** One reminder per study and due date, written to that study (its inbox and chain). */
  private async remind(studyId: number, code: string, due: string): Promise<void> {
    const entityId = `${code}@${due}`;
    const sent = await this.db.read((sql) =>
      sql.count('SELECT COUNT(*) AS n FROM notifications WHERE kind = ? AND entity_id = ?', [KIND, entityId]),
    );
    if (sent) return;
    await this.db.withWriteTransaction(
      SYSTEM_ACTOR,
      async (tx) => {
        // Checked again under the write lock: another instance may have sent it since.
        if (
          await tx.sql.count('SELECT COUNT(*) AS n FROM notifications WHERE kind = ? AND entity_id = ?', [
            KIND,
            entityId,
          ])
        )
          return;
        // The study's administrators (who can sign its review); the instance's when the study names none.
        const studyAdmins = await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'admin');
        const admins = studyAdmins.length ? studyAdmins : await this.notifications.instanceRecipients(tx.sql, 'admin');
        await this.notifications.notify(tx, admins, (locale) => {
          const params = { study: code, due: due.slice(0, 10) };
          const title = translate(locale, 'accessReview.overdueTitle', params);
          const body = translate(locale, 'accessReview.overdueBody', params);
          return {
            kind: KIND,
            title,
            body,
            entityType: 'access-review-due',
            entityId,
            link: '/admin/access-review',
            mail: { subject: translate(locale, 'emails.subject', { title }), text: `${body}\n` },
          };
        });
      },
      { studyId },
    );
  }
}
