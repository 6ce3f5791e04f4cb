import { Injectable } from '@nestjs/common';
import type { AuditEntryView, AuditPage, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { INSTANCE_CHAIN, type ChainId } from '../../database/study-scope.js';
import { toCsv } from '../../common/csv.js';
import { actorOf, isBlindedViewer, type Viewer } from '../../common/viewer.js';
import type { StoredAuditEntry } from '../../database/audit/audit-chain.js';
import {
  isLegacy,
  isWithheld,
  LEGACY_ARM_DIGESTS,
  storedCommitment,
  UNBLINDED_DETAILS_KEY,
  WITHHELD,
  type SealState,
} from '../../database/audit/audit-seal.js';
import { verifyAuditChain } from './audit-verify.js';
import { AuditRepository, type AuditFilter } from './audit.repository.js';
import { SigningKey } from '../../database/audit/signing-key.js';
import { StudyRepository } from '../protocol/study.repository.js';

export { UNBLINDED_DETAILS_KEY } from '../../database/audit/audit-seal.js';

const AUDIT_CSV_COLUMNS: Array<keyof AuditEntryView & string> = [
  'seq',
  'at',
  'actor',
  'role',
  'action',
  'entityType',
  'entityId',
  'reason',
  'details',
  'prevHash',
  'hash',
];
const REDACTED = '[redacted: blinded]';

/**
 * Blinded readers get exactly what the chain hashes (`details.unblinded = {commitment}`), so they can
 * re-hash it, and nothing that tests a guess: legacy plaintext is redacted and the legacy hashes that
 * covered it are withheld. Unblinded readers get the sealed value and its nonce to check the commitment.
 */
function toAuditEntryView(entry: StoredAuditEntry, viewer: Viewer, state: SealState): AuditEntryView {
  const { sealed, ...view } = entry;
  const details =
    view.details && typeof view.details === 'object' && !Array.isArray(view.details)
      ? (view.details as Record<string, unknown>)
      : null;
  if (isBlindedViewer(viewer)) {
    const withheld = isWithheld(entry.seq, state) ? { prevHash: WITHHELD, hash: WITHHELD } : {};
    if (!details || !isLegacy(entry.seq, state)) return { ...view, ...withheld };
    const redacted = { ...details };
    for (const key of [UNBLINDED_DETAILS_KEY, ...(LEGACY_ARM_DIGESTS[entry.action] ?? [])])
      if (key in redacted) redacted[key] = REDACTED;
    return { ...view, details: redacted, ...withheld };
  }
  const commitment = storedCommitment(details);
  if (!details || !sealed || commitment === null) return view;
  return {
    ...view,
    details: { ...details, [UNBLINDED_DETAILS_KEY]: sealed.content },
    seal: { commitment, nonce: sealed.nonce },
  };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly db: DatabaseService,
    private readonly key: SigningKey,
  ) {}

  /** A page of the viewer's study's chain (or of `chain`: the instance's, 0, at /api/admin/audit). */
  async page(viewer: Viewer, filter: AuditFilter, chain: ChainId = viewer.studyId!): Promise<AuditPage> {
    const studyId = chain;
    const { rows, state } = await this.db.read(async (sql) => ({
      rows: await AuditRepository.page(sql, studyId, filter),
      state: await AuditRepository.sealState(sql, studyId),
    }));
    const more = rows.length > filter.limit;
    const entries = rows.slice(0, filter.limit).map((e) => toAuditEntryView(e, viewer, state));
    return { entries, next: more ? entries[entries.length - 1].seq : null };
  }

  /** Every entry matching the filters as CSV (details as JSON, sealed/redacted for blinded readers). */
  async csv(
    viewer: Viewer,
    filter: Omit<AuditFilter, 'limit' | 'after'>,
    chain: ChainId = viewer.studyId!,
  ): Promise<string> {
    const studyId = chain;
    const { rows, state } = await this.db.read(async (sql) => ({
      rows: await AuditRepository.page(sql, studyId, { ...filter, after: 0, limit: Number.MAX_SAFE_INTEGER - 1 }),
      state: await AuditRepository.sealState(sql, studyId),
    }));
    return toCsv(
      rows.map((e) => toAuditEntryView(e, viewer, state)),
      AUDIT_CSV_COLUMNS,
    );
  }

  /** The shared verification (audit-verify.ts) of one study's chain over one read-only snapshot. */
  async verify(studyId: number, viewer?: Viewer): Promise<VerifyResult> {
    const result = await verifyAuditChain({
      chain: studyId,
      snapshot: (work) => this.db.snapshot((sql) => work((q, p) => sql.all(q, p), sql.raw)),
      checkpointFilePath: this.db.config.checkpointLogPath,
      trustedKey: this.key.publicKey,
    });
    if (!viewer || !isBlindedViewer(viewer) || !result.checkpoint) return result;
    const state = await this.db.read((sql) => AuditRepository.sealState(sql, studyId));
    return isWithheld(result.checkpoint.size, state)
      ? { ...result, checkpoint: { ...result.checkpoint, headHash: WITHHELD } }
      : result;
  }

  /** Signed checkpoints; blinded readers do not get legacy heads that would test a guess of arms. */
  async checkpoints(studyId: number, viewer?: Viewer): Promise<CheckpointView[]> {
    const { all, state } = await this.db.read(async (sql) => ({
      all: await AuditRepository.checkpoints(sql, studyId),
      state: await AuditRepository.sealState(sql, studyId),
    }));
    return viewer && isBlindedViewer(viewer) ? all.filter((cp) => !isWithheld(cp.size, state)) : all;
  }

  /** Seals a signed checkpoint over the current head of the viewer's study's chain, or of the instance's (chain 0). */
  async createCheckpoint(viewer: Viewer, reason: string | undefined, chain?: ChainId): Promise<CheckpointView> {
    const work = async (tx: WriteTx) => {
      tx.audit({ action: 'audit.checkpoint_requested', entityType: 'audit', reason: reason ?? null });
      tx.requestCheckpoint();
      return tx.chain;
    };
    const written =
      chain === INSTANCE_CHAIN
        ? await this.db.instanceWrite(actorOf(viewer), work)
        : await this.db.withWriteTransaction(actorOf(viewer), work);
    const all = await this.checkpoints(written);
    return all[all.length - 1];
  }

  /**
   * Every chain verified (the installation check): the instance's (named `instance`, when it has entries),
   * then every study's in study order; the first invalid one decides.
   */
  async verifyEveryChain(): Promise<Array<{ studyCode: string; result: VerifyResult }>> {
    const studies = await this.db.read((sql) => StudyRepository.list(sql));
    const out: Array<{ studyCode: string; result: VerifyResult }> = [];
    const instance = await this.verify(INSTANCE_CHAIN);
    if (instance.count > 0 || !instance.valid) out.push({ studyCode: 'instance', result: instance });
    for (const s of studies) out.push({ studyCode: s.code, result: await this.verify(s.id) });
    return out;
  }
}
