/**
 * When the response guard withholds something, a blinded person was about to read an arm: the
 * caller still gets the answer (with the value replaced by a marker), and the event is audited and
 * notified to the administrators so the source of the text can be found and corrected. A stored
 * text that trips the guard would do so on every read, so one event is recorded per user, route
 * and set of fields per ten minutes in each process. Recording never fails the response.
 */
import { translate } from '../../../shared/i18n/catalogue.js';
import { Injectable, Logger } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { NotificationsService } from '../modules/notifications/notifications.service.js';
import { SYSTEM_ACTOR, type Viewer } from '../common/viewer.js';

const QUIET_MS = 10 * 60 * 1000;

export interface WithheldEvent {
  viewer: Viewer | undefined;
  method: string;
  /** The route pattern (`/api/participants/:id`), never the URL: a query string is the caller's text. */
  route: string;
  /** JSON paths of the withheld values (never the values). */
  paths: string[];
  status: number;
}

@Injectable()
export class BlindingIncidents {
  private readonly logger = new Logger('Blinding');
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly db: DatabaseService,
    private readonly notifications: NotificationsService,
  ) {}

  async record(event: WithheldEvent): Promise<void> {
    const who = event.viewer ? `${event.viewer.username} (${event.viewer.role})` : 'an anonymous caller';
    this.logger.error(
      `BLINDING GUARD: withheld ${event.paths.length} value(s) from a ${event.status} answer to ${who} on ${event.method} ${event.route}: ${event.paths.slice(0, 10).join(', ')}`,
    );
    const key = `${event.viewer?.userId ?? '-'} ${event.method} ${event.route} ${event.paths.join(',')}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - QUIET_MS) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) this.recent.clear();
    try {
      await this.db.withWriteTransaction({ ...SYSTEM_ACTOR, username: 'blinding-guard' }, async (tx) => {
        const details = {
          viewer: event.viewer?.username ?? null,
          viewerRole: event.viewer?.role ?? null,
          method: event.method,
          route: event.route,
          status: event.status,
          withheld: event.paths.slice(0, 50),
        };
        tx.audit({
          action: 'blinding.withheld',
          entityType: 'response',
          entityId: `${event.method} ${event.route}`,
          details,
        });
        const admins = await this.notifications.instanceRecipients(tx.sql, 'admin');
        await this.notifications.notify(tx, admins, (locale) => {
          const caller = event.viewer ? who : translate(locale, 'notifications.anonymousCaller');
          const text = translate(locale, 'notifications.withheldBody', {
            who: caller,
            route: `${event.method} ${event.route}`,
            count: event.paths.length,
            paths: event.paths.slice(0, 5).join(', '),
          });
          const title = translate(locale, 'notifications.withheldTitle');
          return {
            kind: 'blinding.withheld',
            title,
            body: text,
            entityType: 'response',
            entityId: `${event.method} ${event.route}`,
            mail: { subject: translate(locale, 'emails.subject', { title }), text: `${text}\n` },
          };
        });
      });
    } catch (err) {
      this.logger.error(`BLINDING GUARD: could not record the event: ${(err as Error).message}`);
    }
  }
}
