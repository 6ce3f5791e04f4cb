/**
 * Escalation of emergency unblinding requests nobody decided in time (the protocol's
 * `unblinding.emergency`: escalateAfterMinutes, escalateTo backup-monitor | break-the-glass).
 *
 * A scheduler in the server process, but without in-memory timers per request: every tick (and
 * once at start) it asks the database which pending requests are older than the limit and not yet
 * escalated, so a restart, a crash or a second instance changes nothing. Each escalation is one
 * write transaction whose conditional UPDATE (still pending, never escalated) decides who does
 * it: with several instances exactly one escalates, audits and notifies. Every run walks every active
 * study, each under its own protocol's rule, and each escalation is written to its request's study.
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EmergencyRule } from '../../../../shared/protocol/index.js';
import { Clock } from '../../common/clock.js';
import { PeriodicTask } from '../../common/periodic-task.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { escalationNotice } from './escalation-notices.js';
import { UnblindingRepository, type UnblindingRequestRecord } from './unblinding.repository.js';

const BATCH = 20;

/** The moment before which a pending request is due for escalation. */
function escalationCutoff(now: Date, rule: Pick<EmergencyRule, 'escalateAfterMinutes'>): string {
  return new Date(now.getTime() - rule.escalateAfterMinutes * 60_000).toISOString();
}

@Injectable()
export class UnblindingEscalation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('UnblindingEscalation');
  private readonly task = new PeriodicTask('escalation check', () => this.runOnce(), this.logger);

  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** The study's rule; none when its protocol has none (or it is not loaded in this process yet). */
  private rule(studyId: number): EmergencyRule | null {
    if (this.study.vocabulary(studyId) === null) return null;
    return this.study.protocol(studyId).unblinding.emergency ?? null;
  }

  onApplicationBootstrap(): void {
    // Always: a study created later may have a rule (a run with no rule anywhere reads one table).
    // Requests that fell due while no server was running are escalated by the first run.
    this.task.start(this.db.config.escalationCheckMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Escalates every due request of every active study once; answers how many this instance escalated. */
  async runOnce(): Promise<number> {
    const studies = await this.db.read((sql) => StudyRepository.list(sql));
    let done = 0;
    for (const study of studies) {
      const rule = study.status === 'active' ? this.rule(study.id) : null;
      if (!rule) continue;
      const cutoff = escalationCutoff(this.clock.now(), rule);
      const due = await this.db.read((sql) => UnblindingRepository.dueForEscalation(sql, study.id, cutoff, BATCH));
      for (const r of due) {
        if (this.task.isStopped) return done;
        if (await this.escalate(study.id, r.id, rule)) done++;
      }
    }
    return done;
  }

  private escalate(studyId: number, id: string, rule: EmergencyRule): Promise<boolean> {
    return this.db.withWriteTransaction(
      SYSTEM_ACTOR,
      async (tx) => {
        if ((await StudyRepository.status(tx.sql, tx.studyId)) !== 'active') return false;
        if (!(await UnblindingRepository.markEscalated(tx.sql, tx.studyId, id, rule.escalateTo, tx.now))) return false;
        const r = (await UnblindingRepository.find(tx.sql, tx.studyId, id))!;
        const opened = rule.escalateTo === 'break-the-glass';
        tx.audit({
          action: 'unblinding.escalated',
          entityType: 'unblinding-request',
          entityId: id,
          reason: `not decided within ${rule.escalateAfterMinutes} minute(s): escalated to ${rule.escalateTo} under the protocol's rule`,
          details: {
            participantId: r.participantId,
            policy: r.policy,
            escalateTo: rule.escalateTo,
            escalateAfterMinutes: rule.escalateAfterMinutes,
            requestedAt: r.requestedAt,
            changes: opened ? { status: { old: 'pending', new: 'approved' } } : {},
            ...(opened ? {} : { backupMonitors: rule.backupMonitors }),
          },
        });
        await this.notifyEscalation(tx, r, rule);
        return true;
      },
      { studyId },
    );
  }

  private async notifyEscalation(tx: WriteTx, r: UnblindingRequestRecord, rule: EmergencyRule): Promise<void> {
    const requester = await UsersRepository.findById(tx.sql, r.requestedById);
    const minutes = rule.escalateAfterMinutes;
    if (rule.escalateTo === 'break-the-glass') {
      await this.notifications.notify(tx, requester ? [requester] : [], escalationNotice(r, 'requester-open', minutes));
      const monitors = (await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor')).filter(
        (u) => u.id !== r.requestedById,
      );
      await this.notifications.notify(tx, monitors, escalationNotice(r, 'monitors-open', minutes));
      return;
    }
    const backups = (await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor')).filter(
      (u) => rule.backupMonitors.includes(u.username) && u.id !== r.requestedById,
    );
    if (backups.length === 0)
      this.logger.error(`no active backup monitor among ${rule.backupMonitors.join(', ')} for request ${r.id}`);
    await this.notifications.notify(tx, backups, escalationNotice(r, 'backup', minutes));
    await this.notifications.notify(tx, requester ? [requester] : [], escalationNotice(r, 'requester-backup', minutes));
  }
}
