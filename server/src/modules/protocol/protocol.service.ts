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
import { FIRST_STUDY_ID } from '../../database/study-scope.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import type { StudyRecord } from './study.record.js';

@Injectable()
export class ProtocolService implements OnApplicationBootstrap {
  /** Each study's parsed protocol and blinding vocabulary, by study id (a protocol never changes once loaded). */
  private readonly loaded = new Map<number, { protocol: Protocol; vocabulary: BlindingVocabulary }>();

  constructor(private readonly db: DatabaseService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureLoaded();
  }

  /**
   * Loads PROTOCOL_FILE as the first study on first start (later studies are created through the API);
   * afterwards the database's copies rule. Every study of the instance is parsed into memory.
   */
  async ensureLoaded(): Promise<void> {
    if ((await this.db.read((sql) => StudyRepository.protocolYaml(sql, FIRST_STUDY_ID))) === null) {
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
            {
              id: FIRST_STUDY_ID,
              code: protocol.study.code,
              title: protocol.study.title,
              protocolYaml: yaml,
              protocolSha256: sha,
            },
            tx.now,
          );
          // Accounts made before the study existed (bootstrap admin) hold their role in it, as migration 019 does.
          for (const user of await UsersRepository.list(tx.sql))
            await StudyRolesRepository.syncFirstStudy(tx.sql, user, SYSTEM_ACTOR.username, tx.now);
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
    for (const study of await this.db.read((sql) => StudyRepository.list(sql))) await this.load(study.id);
  }

  /** Parses a study's stored protocol into memory (at start, and when a study is created). */
  async load(studyId: number): Promise<Protocol> {
    const known = this.loaded.get(studyId);
    if (known) return known.protocol;
    const yaml = await this.db.read((sql) => StudyRepository.protocolYaml(sql, studyId));
    if (yaml === null) throw new Error(`study ${studyId} has no protocol`);
    const protocol = this.parse(yaml, 'stored protocol');
    this.loaded.set(studyId, { protocol, vocabulary: blindingVocabulary(protocol) });
    // Every study's code and title are public in every study's checks (the switcher lists them all; a route names
    // its study): a second study's code such as "MSC-PAR21" must not read as naming the first study's product MSC.
    const names = [...this.loaded.values()].flatMap((l) => [l.protocol.study.code, l.protocol.study.title]);
    for (const l of this.loaded.values()) l.vocabulary = blindingVocabulary(l.protocol, names);
    return protocol;
  }

  private parse(yaml: string, source: string): Protocol {
    const result = parseProtocol(yaml, source);
    if (!result.ok)
      throw new Error(`the protocol file is not valid:\n${result.errors.map(formatProtocolError).join('\n')}`);
    return result.protocol;
  }

  /** A study's protocol; every caller names the study (the viewer's, or its write transaction's). */
  protocol(studyId: number): Protocol {
    const loaded = this.loaded.get(studyId);
    if (!loaded) throw new Error(`study ${studyId} is not loaded`);
    return loaded.protocol;
  }

  /** Null before the study is loaded (the interceptor then has nothing to protect). */
  vocabulary(studyId: number): BlindingVocabulary | null {
    return this.loaded.get(studyId)?.vocabulary ?? null;
  }

  /**
   * The vocabularies a response must be checked against: its study's, or — on an instance route, which
   * belongs to no study — every study's (fail closed: no instance answer may name any study's arm).
   */
  vocabulariesFor(studyId: number | undefined): BlindingVocabulary[] {
    if (studyId !== undefined) {
      const one = this.loaded.get(studyId);
      return one ? [one.vocabulary] : [];
    }
    return [...this.loaded.values()].map((l) => l.vocabulary);
  }

  async current(sql: Sql, studyId: number): Promise<StudyRecord> {
    const study = await StudyRepository.find(sql, studyId);
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
