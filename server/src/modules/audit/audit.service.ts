import { Injectable } from '@nestjs/common';
import type { AuditEntryView, AuditPage, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { DatabaseService } from '../../database/database.service.js';
import { toCsv } from '../../common/csv.js';
import { actorOf, isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { verifyChain, type StoredAuditEntry } from './audit-chain.js';
import { AuditRepository, type AuditFilter } from './audit.repository.js';
import { mergeCheckpoints, readCheckpointFile } from './checkpoint-file.js';
import { KeyRing, readRotationRecords } from './key-ring.js';
import { SigningKey } from './signing-key.js';

const AUDIT_CSV_COLUMNS: Array<keyof AuditEntryView & string> = ['seq', 'at', 'actor', 'role', 'action', 'entityType', 'entityId', 'reason', 'details', 'prevHash', 'hash'];

/** Details under this key carry arms (allocation, reveal); blinded readers see it redacted. */
export const UNBLINDED_DETAILS_KEY = 'unblinded';

export function toAuditEntryView(entry: StoredAuditEntry, viewer: Viewer): AuditEntryView {
  let details = entry.details;
  if (isBlindedViewer(viewer) && details && typeof details === 'object' && UNBLINDED_DETAILS_KEY in (details as object)) {
    details = { ...(details as Record<string, unknown>), [UNBLINDED_DETAILS_KEY]: '[redacted: blinded]' };
  }
  return { ...entry, details };
}

@Injectable()
export class AuditService {
  constructor(private readonly db: DatabaseService, private readonly key: SigningKey) {}

  async page(viewer: Viewer, filter: AuditFilter): Promise<AuditPage> {
    const rows = await this.db.read((sql) => AuditRepository.page(sql, filter));
    const more = rows.length > filter.limit;
    const entries = rows.slice(0, filter.limit).map((e) => toAuditEntryView(e, viewer));
    return { entries, next: more ? entries[entries.length - 1].seq : null };
  }

  /** Every entry matching the filters as CSV (details as JSON, redacted for blinded readers). */
  async csv(viewer: Viewer, filter: Omit<AuditFilter, 'limit' | 'after'>): Promise<string> {
    const rows = await this.db.read((sql) => AuditRepository.page(sql, { ...filter, after: 0, limit: Number.MAX_SAFE_INTEGER - 1 }));
    return toCsv(rows.map((e) => toAuditEntryView(e, viewer)), AUDIT_CSV_COLUMNS);
  }

  async verify(): Promise<VerifyResult> {
    const { rows, checkpoints, rotations } = await this.db.read(async (sql) => ({
      rows: await AuditRepository.all(sql),
      checkpoints: await AuditRepository.checkpoints(sql),
      rotations: await readRotationRecords((q) => sql.all(q)),
    }));
    const all = mergeCheckpoints(checkpoints, readCheckpointFile(this.db.config.checkpointLogPath));
    return verifyChain(rows, all, KeyRing.from(this.key.publicKey, rotations));
  }

  async checkpoints(): Promise<CheckpointView[]> {
    return this.db.read((sql) => AuditRepository.checkpoints(sql));
  }

  /** Seals a signed checkpoint over the current head, on demand. */
  async createCheckpoint(viewer: Viewer, reason: string | undefined): Promise<CheckpointView> {
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      tx.audit({ action: 'audit.checkpoint_requested', entityType: 'audit', reason: reason ?? null });
      tx.requestCheckpoint();
    });
    const all = await this.checkpoints();
    return all[all.length - 1];
  }
}
