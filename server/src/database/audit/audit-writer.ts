/**
 * Appends entries to the hash chain inside the caller's write transaction, and seals a signed
 * checkpoint every N entries, on the chain of the study the transaction writes for. Only DatabaseService.withWriteTransaction calls append().
 */
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Actor } from '../../common/viewer.js';
import type { Sql } from '../sql.js';
import type { ChainId } from '../study-scope.js';
import type { CheckpointView } from '../../../../shared/contract.js';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import { checkpointMessage, entryHash } from './audit-chain.js';
import { sealDetails } from './audit-seal.js';
import { appendCheckpointLine } from './checkpoint-file.js';
import { SigningKey } from './signing-key.js';

/** What a write records about itself; actor and time come from the transaction. */
export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  reason?: string | null;
  /**
   * For changes, `{ changes: { field: { old, new } } }`. Anything that depends on an arm goes under
   * `unblinded` (UNBLINDED_DETAILS_KEY): it is sealed (stored apart, committed with a secret nonce).
   */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditWriter {
  constructor(
    private readonly key: SigningKey,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes the entries after `head`; returns every checkpoint sealed, in order of size (one
   * transaction can cross several multiples of CHECKPOINT_EVERY, and each must reach the file).
   */
  async append(
    sql: Sql,
    chain: ChainId,
    head: { seq: number; hash: string },
    actor: Actor,
    at: string,
    entries: AuditInput[],
    sealNow = false,
  ): Promise<CheckpointView[]> {
    let { seq, hash } = head;
    const checkpoints: CheckpointView[] = [];
    for (const input of entries) {
      seq += 1;
      const content = {
        seq,
        at,
        actor: actor.username,
        role: actor.role,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId ?? null,
        reason: input.reason ?? null,
        details: {} as Record<string, unknown>,
      };
      // The arm-dependent part goes to audit_sealed; the chain hashes only its commitment.
      const { stored, sealed } = sealDetails(input.details ?? {});
      content.details = stored;
      const next = entryHash(hash, content);
      // Details are stored in their canonical form (the text the hash covers), so the SQLite verifier
      // can hash the stored text as it is (audit-verify.ts); rows stored otherwise are re-serialized.
      await sql.exec(
        `INSERT INTO audit_log (chain, seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          chain,
          seq,
          at,
          content.actor,
          content.role,
          content.action,
          content.entityType,
          content.entityId,
          content.reason,
          canonicalJson(content.details),
          hash,
          next,
        ],
      );
      if (sealed)
        await sql.exec('INSERT INTO audit_sealed (chain, seq, nonce, content) VALUES (?, ?, ?, ?)', [
          chain,
          seq,
          sealed.nonce,
          JSON.stringify(sealed.content),
        ]);
      hash = next;
      if (seq % this.config.checkpointEvery === 0)
        checkpoints.push(await this.insertCheckpoint(sql, chain, seq, hash, at));
    }
    if (entries.length) await sql.exec('UPDATE audit_head SET seq = ?, hash = ? WHERE id = ?', [seq, hash, chain]);
    if (sealNow && checkpoints.at(-1)?.size !== seq && seq > 0)
      checkpoints.push(await this.insertCheckpoint(sql, chain, seq, hash, at));
    return checkpoints;
  }

  /** Seals the current head (on demand); called inside a write transaction after append. */
  async insertCheckpoint(
    sql: Sql,
    chain: ChainId,
    size: number,
    headHash: string,
    at: string,
  ): Promise<CheckpointView> {
    const cp = {
      size,
      headHash,
      at,
      signature: this.key.sign(checkpointMessage({ size, headHash, at })),
      publicKey: this.key.publicKeyBase64,
    };
    await sql.exec(
      `INSERT INTO audit_checkpoints (chain, size, head_hash, at, signature, public_key) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (chain, size) DO NOTHING`,
      [chain, cp.size, cp.headHash, cp.at, cp.signature, cp.publicKey],
    );
    return cp;
  }

  /**
   * Keeps a copy of every checkpoint in an append-only file beside the key, outside the database:
   * deleting checkpoints from the database does not hide a truncated tail.
   */
  recordCheckpointFile(chain: ChainId, cp: CheckpointView): void {
    appendCheckpointLine(this.config.checkpointLogPath, cp, chain);
  }
}
