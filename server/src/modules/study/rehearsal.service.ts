/**
 * Rehearsal on a test copy: the current scheme (draft or active) is copied into memory and
 * synthetic patients are randomized through the very same decision function as production
 * (decideAllocation), so the statistician sees list usage, exhaustion and balance per stratum
 * before real patients — nothing is written to the study.
 */
import type { RehearsalResult } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { deriveStream, type DynamicHistoryItem, type Scheme } from '../../../../shared/engine/index.js';
import { allStrata } from '../../../../shared/protocol/index.js';
import { DomainError } from '../../common/domain-error.js';
import { randomUUID } from 'node:crypto';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { RehearsalsRepository, type RehearsalWarning } from './rehearsals.repository.js';
import { decideAllocation, type AllocationSource } from '../randomization/allocation-source.js';
import { SchemesRepository } from '../protocol/schemes.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { StudyService } from './study.service.js';

function memorySource(scheme: Scheme): AllocationSource {
  const cursors = new Map(scheme.strata.map((s) => [s.key, 1]));
  const history: DynamicHistoryItem[] = [];
  return {
    cursor: async (key) => cursors.get(key) ?? null,
    entryAt: async (key, position) => {
      const e = scheme.strata.find((s) => s.key === key)?.entries[position - 1];
      return e ? { id: `${key}#${position}`, armCode: e.armCode, treatmentCode: e.treatmentCode } : null;
    },
    advance: async (key, next) => void cursors.set(key, next),
    history: async () => history,
  };
}

@Injectable()
export class RehearsalService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: StudyService,
    private readonly protocol: ProtocolService,
  ) {}

  async rehearse(patients: number, seed: string, viewer: Viewer): Promise<RehearsalResult> {
    const studyId = viewer.studyId!;
    const protocol = this.protocol.protocol(studyId);
    const { scheme, version, schemeId } = await this.db.read(async (sql) => {
      const latest = await SchemesRepository.latest(sql, studyId);
      if (!latest) throw new DomainError('SCHEME_MISSING', 'Generate or import a scheme before rehearsing it.');
      const document = (await SchemesRepository.document(sql, studyId, latest.id))!;
      return {
        scheme: { ...document, seed: latest.seed ?? undefined } as Scheme,
        version: latest.version,
        schemeId: latest.id,
      };
    });
    const siteCodes = await this.db.read((sql) => this.study.siteCodes(sql, studyId));
    const strata = allStrata(protocol, siteCodes);
    const stream = deriveStream(seed, protocol.study.code, '(rehearsal)', 'rehearsal-patients');
    const source = memorySource(scheme);
    const history = await source.history();
    const perStratum = new Map<
      string,
      { randomized: number; exhaustedAt: number | null; arms: Record<string, number> }
    >(
      strata.map((s) => [
        s.key,
        { randomized: 0, exhaustedAt: null, arms: Object.fromEntries(scheme.arms.map((a) => [a.code, 0])) },
      ]),
    );
    const overall: Record<string, number> = Object.fromEntries(scheme.arms.map((a) => [a.code, 0]));
    let exhausted = 0;
    for (let i = 1; i <= patients; i++) {
      const stratum = strata[Math.floor(stream.double() * strata.length)];
      const stats = perStratum.get(stratum.key)!;
      try {
        const d = await decideAllocation(source, scheme.live ? scheme : null, {
          stratumKey: stratum.key,
          covariates: stratum.levels,
        });
        history.push({
          stratumKey: stratum.key,
          covariates: stratum.levels,
          armCode: d.armCode,
          treatmentCode: d.treatmentCode,
        });
        stats.randomized++;
        stats.arms[d.armCode]++;
        overall[d.armCode]++;
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'LIST_EXHAUSTED') throw err;
        exhausted++;
        stats.exhaustedAt ??= i;
      }
    }
    const warnings: RehearsalWarning[] = [...perStratum.entries()]
      .filter(([, st]) => st.exhaustedAt !== null)
      .map(([key, st]) => ({ code: 'LIST_EXHAUSTED' as const, stratum: key, atPatient: st.exhaustedAt! }));
    // Kept (and audited) so that activation shows these warnings and asks for an override reason.
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const id = randomUUID();
      await RehearsalsRepository.insert(tx.sql, tx.studyId, {
        id,
        schemeId,
        schemeVersion: version,
        patients,
        warnings,
        runBy: viewer.username,
        runAt: tx.now,
      });
      tx.audit({
        action: 'scheme.rehearsed',
        entityType: 'scheme',
        entityId: schemeId,
        details: { rehearsalId: id, schemeVersion: version, patients, warnings },
      });
    });
    return {
      schemeVersion: version,
      warnings,
      patients,
      randomized: patients - exhausted,
      refusedListExhausted: exhausted,
      overall,
      strata: [...perStratum.entries()].map(([key, s]) => ({ key, ...s })),
      note: 'A rehearsal on an in-memory copy of the scheme; nothing was written to the study.',
    };
  }
}
