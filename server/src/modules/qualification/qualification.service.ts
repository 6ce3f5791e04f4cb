/**
 * Runs installation then operational qualification, signs the report with the instance's audit
 * key, and stores it together with an audit entry carrying its digest and result (one write
 * transaction, sealed by a signed checkpoint). One run at a time per process.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { arch, release, type } from 'node:os';
import { type AppConfig } from '../../config/config.js';
import { packageVersion } from '../../config/package-root.js';
import { Clock } from '../../common/clock.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { AuditService } from '../audit/audit.service.js';
import { SigningKey } from '../../database/audit/signing-key.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { redactLeaks } from '../../common/blinding.js';
import { installationChecks } from './installation-checks.js';
import { operationalChecks } from './operational-checks.js';
import { APP_FACTORY, type AppFactory } from './throwaway-instance.js';
import { QualificationRepository, type QualificationSummary } from './qualification.repository.js';
import {
  reportDigest,
  signedBytes,
  type QualificationReport,
  type ReportEnvironment,
  type UnsignedReport,
} from './report.js';
import { renderReportHtml } from './report-html.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { recipientLocale } from '../accounts/locale.js';
import type { Locale } from '../../../../shared/i18n/catalogue.js';

@Injectable()
export class QualificationService {
  private readonly logger = new Logger('Qualification');
  private running = false;

  constructor(
    private readonly db: DatabaseService,
    private readonly key: SigningKey,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly study: ProtocolService,
    @Inject(APP_FACTORY) private readonly createApp: AppFactory,
  ) {}

  private get config(): AppConfig {
    return this.db.config;
  }

  async run(viewer: Viewer, options: { installationOnly?: boolean } = {}): Promise<QualificationSummary> {
    if (this.running)
      throw new DomainError('CONFLICT', 'A qualification is already running on this server; wait for its report.');
    this.running = true;
    try {
      const startedAt = this.clock.iso();
      const version = packageVersion();
      const locale = await this.localeOf(viewer);
      const installation = await installationChecks({
        config: this.config,
        db: this.db,
        key: this.key,
        clock: this.clock,
        audit: this.audit,
        version,
        locale,
      });
      // Installation only: a quick re-check after a configuration change (the report says what was run).
      const operational = options.installationOnly ? [] : await operationalChecks(this.createApp, this.config, locale);
      const checks = [...installation, ...operational];
      const failed = checks.filter((c) => !c.pass).length;
      const draft: UnsignedReport = {
        format: 'blindrand-qualification/1',
        id: randomUUID(),
        startedAt,
        finishedAt: this.clock.iso(),
        runBy: { username: viewer.username, displayName: viewer.displayName, role: viewer.role },
        locale,
        environment: await this.environment(version),
        result: failed === 0 ? 'pass' : 'fail',
        scope: options.installationOnly ? 'installation' : 'installation+operational',
        summary: { passed: checks.length - failed, failed, total: checks.length },
        checks,
      };
      // The report is read by the (blinded) admin through the blinding interceptor: a text that happens
      // to contain a word of this trial's arms would be withheld there and break the signature. It is
      // withheld here, before signing, instead (the report is about the throwaway study, never this one).
      // An instance route: the interceptor checks it against every study's arms, and so does this.
      const unsigned = this.study
        .vocabulariesFor(undefined)
        .reduce((report, vocabulary) => redactLeaks(report, vocabulary).body as UnsignedReport, draft);
      const report: QualificationReport = {
        ...unsigned,
        signature: {
          algorithm: 'Ed25519',
          publicKey: this.key.publicKeyBase64,
          digest: reportDigest(unsigned),
          value: this.key.sign(signedBytes(unsigned)),
        },
      };
      await this.db.instanceWrite(actorOf(viewer), async (tx) => {
        await QualificationRepository.insert(tx.sql, report);
        tx.audit({
          action: 'qualification.run',
          entityType: 'qualification',
          entityId: report.id,
          reason: null,
          details: {
            digest: report.signature.digest,
            result: report.result,
            passed: report.summary.passed,
            failed: report.summary.failed,
            failedChecks: checks.filter((c) => !c.pass).map((c) => c.id),
          },
        });
        tx.requestCheckpoint();
      });
      this.logger.log(
        `qualification ${report.id}: ${report.result} (${report.summary.passed}/${report.summary.total})`,
      );
      return {
        id: report.id,
        startedAt,
        finishedAt: report.finishedAt,
        runBy: viewer.username,
        result: report.result,
        passed: report.summary.passed,
        failed,
        digest: report.signature.digest,
      };
    } finally {
      this.running = false;
    }
  }

  list(): Promise<QualificationSummary[]> {
    return this.db.read((sql) => QualificationRepository.list(sql));
  }

  async get(id: string): Promise<QualificationReport> {
    const report = await this.db.read((sql) => QualificationRepository.get(sql, id));
    if (!report) throw notFound('The qualification report');
    return report;
  }

  async html(id: string): Promise<string> {
    const report = await this.get(id);
    return renderReportHtml(report, report.locale === 'fr' ? 'fr' : 'en');
  }

  /** The runner's language (their own, else their site's, else DEFAULT_LOCALE). */
  private async localeOf(viewer: Viewer): Promise<Locale> {
    return this.db.read(async (sql) => {
      const user = await UsersRepository.findById(sql, viewer.userId);
      return user ? recipientLocale(sql, user, this.config.defaultLocale) : this.config.defaultLocale;
    });
  }

  private async environment(version: string): Promise<ReportEnvironment> {
    const dialect = this.config.database.dialect;
    const databaseVersion = await this.db
      .read(async (sql) => {
        const row = await sql.one<Record<string, unknown>>(
          dialect === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SHOW server_version',
        );
        return `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${String(row?.v ?? row?.server_version ?? '?')}`;
      })
      .catch(() => 'unknown');
    return {
      version,
      node: process.version,
      os: `${type()} ${release()} ${arch()}`,
      dialect,
      databaseVersion,
      publicUrl: this.config.publicUrl,
    };
  }
}
