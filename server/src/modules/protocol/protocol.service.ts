/**
 * The study as every feature reads it: its protocol (loaded once from PROTOCOL_FILE into the
 * database, then read from there), the blinding vocabulary derived from it, and the study row with
 * its status. Below the study services (scheme, activation, lock, unblinding live in modules/study)
 * so that the features and the blinding interceptor depend on this small service, not on them.
 */
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { formatProtocolError, parseProtocol, type Protocol } from '../../../../shared/protocol/index.js';
import type { StudyStatus } from '../../../../shared/contract.js';
import { blindingVocabulary, type BlindingVocabulary } from '../../common/blinding.js';
import { STUDY_STATUS_REQUIRED } from '../../../../shared/lifecycle/study.js';
import { DomainError } from '../../common/domain-error.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { isUniqueViolation, type Sql } from '../../database/sql.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { StudyRepository } from './study.repository.js';
import type { StudyRecord } from './study.record.js';

@Injectable()
export class ProtocolService implements OnApplicationBootstrap {
  private loaded: { protocol: Protocol; vocabulary: BlindingVocabulary } | null = null;

  constructor(private readonly db: DatabaseService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureLoaded();
  }

  /** Loads the protocol into the database on first start; afterwards the database's copy rules. */
  async ensureLoaded(): Promise<void> {
    if ((await this.db.read((sql) => StudyRepository.protocolYaml(sql))) === null) {
      const path = this.db.config.protocolFile;
      let yaml: string;
      try {
        yaml = readFileSync(path, 'utf8');
      } catch {
        throw new Error(`PROTOCOL_FILE: cannot read ${path}`);
      }
      const protocol = this.parse(yaml, path);
      try {
        await this.db.withWriteTransaction(SYSTEM_ACTOR, async (tx) => {
          const sha = sha256Hex(yaml);
          await StudyRepository.insert(
            tx.sql,
            { code: protocol.study.code, title: protocol.study.title, protocolYaml: yaml, protocolSha256: sha },
            tx.now,
          );
          tx.audit({
            action: 'study.loaded',
            entityType: 'study',
            entityId: protocol.study.code,
            details: { protocolFile: path, protocolSha256: sha, status: 'setup' },
          });
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // another instance loaded it first
      }
    }
    const yaml = await this.db.read((sql) => StudyRepository.protocolYaml(sql));
    const protocol = this.parse(yaml!, 'stored protocol');
    this.loaded = { protocol, vocabulary: blindingVocabulary(protocol) };
  }

  private parse(yaml: string, source: string): Protocol {
    const result = parseProtocol(yaml, source);
    if (!result.ok)
      throw new Error(`the protocol file is not valid:\n${result.errors.map(formatProtocolError).join('\n')}`);
    return result.protocol;
  }

  protocol(): Protocol {
    if (!this.loaded) throw new Error('the study is not loaded yet');
    return this.loaded.protocol;
  }

  /** Null before the study is loaded (the interceptor then has nothing to protect). */
  vocabulary(): BlindingVocabulary | null {
    return this.loaded?.vocabulary ?? null;
  }

  async current(sql: Sql): Promise<StudyRecord> {
    const study = await StudyRepository.find(sql);
    if (!study) throw new Error('study row missing');
    return study;
  }

  /** Throws STUDY_NOT_ACTIVE unless the study is in one of the given statuses. */
  requireStatus(study: StudyRecord, allowed: StudyStatus[], action: string): void {
    if (!allowed.includes(study.status)) {
      // The code names the first status needed: STUDY_NOT_ACTIVE, STUDY_NOT_LOCKED, STUDY_NOT_UNBLINDED…
      throw new DomainError(
        STUDY_STATUS_REQUIRED[allowed[0]],
        `Cannot ${action}: the study is ${study.status} (needs ${allowed.join(' or ')}).`,
      );
    }
  }
}
