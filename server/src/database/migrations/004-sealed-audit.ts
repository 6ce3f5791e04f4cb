import type { QueryRunner } from 'typeorm';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import { entryHash } from '../audit/audit-chain.js';
import { commitmentOf, hasArmContent, newNonce, UNBLINDED_DETAILS_KEY } from '../audit/audit-seal.js';
import { Sql, type Dialect } from '../sql.js';
import type { Ddl } from './ddl.js';

/**
 * Sealed audit details (issue 11): the arm-dependent part of an entry (`details.unblinded`) is stored
 * apart with a secret nonce and the chain hashes only its commitment (database/audit/audit-seal.ts).
 * audit_seal_state records where the legacy, plaintext-hashed chain ends.
 */
export function sealedAudit(t: Ddl): string[] {
  void t;
  return [
    `CREATE TABLE audit_sealed (
      seq INTEGER PRIMARY KEY,
      nonce CHAR(64) NOT NULL,
      content TEXT NOT NULL)`,
    `CREATE TABLE audit_seal_state (
      id INTEGER PRIMARY KEY,
      legacy_size INTEGER NOT NULL,
      legacy_first_sealed INTEGER)`,
  ];
}

/** The undo drops the tables; the re-anchor entry stays in the chain (entries are never deleted). */
export function sealedAuditDown(): string[] {
  return ['DROP TABLE audit_seal_state', 'DROP TABLE audit_sealed'];
}

/**
 * Converts an existing chain. Legacy hashes covered the plaintext and are signed in checkpoints (and
 * copied to the checkpoint file and to inspectors' exports), so they cannot be re-sealed without
 * rewriting signed history. Instead:
 *   - legacy rows stay byte for byte as written (old hash rule; the offline verifier still checks
 *     them all), and blinded readers get their arm content redacted and, from the first arm-bearing
 *     legacy entry on, their hashes withheld (each later legacy hash would test a guess too);
 *   - one re-anchor entry (`audit.seal_anchor`) is appended whose prevHash is a commitment, with a
 *     secret nonce, to the legacy head: new hashes no longer depend on legacy plaintext, so blinded
 *     readers verify from the anchor on, and whoever holds the nonce checks the link to the legacy head.
 * The next signed checkpoint covers the anchor.
 */
export async function sealLegacyChain(runner: QueryRunner, dialect: Dialect): Promise<void> {
  const sql = new Sql(runner, dialect);
  const q = (statement: string, params: unknown[] = []) => sql.all(statement, params);
  const rows = await q('SELECT seq, action, details, hash FROM audit_log ORDER BY seq');
  const legacySize = rows.length ? Number(rows[rows.length - 1].seq) : 0;
  const first = rows.find((r) => {
    try {
      return hasArmContent(String(r.action), JSON.parse(String(r.details)));
    } catch {
      return false;
    }
  });
  const legacyFirstSealed = first ? Number(first.seq) : null;
  await q('INSERT INTO audit_seal_state (id, legacy_size, legacy_first_sealed) VALUES (1, ?, ?)', [
    legacySize,
    legacyFirstSealed,
  ]);
  if (legacyFirstSealed === null) return;

  const nonce = newNonce();
  const sealed = { legacyHeadHash: String(rows[rows.length - 1].hash) };
  const commitment = commitmentOf(nonce, sealed);
  const content = {
    seq: legacySize + 1,
    at: new Date().toISOString(),
    actor: 'system',
    role: 'system',
    action: 'audit.seal_anchor',
    entityType: 'audit',
    entityId: null,
    reason:
      'migration 004: arm-dependent audit details are sealed from here on; legacy hashes are withheld from blinded readers',
    details: { legacySize, legacyFirstSealedSeq: legacyFirstSealed, [UNBLINDED_DETAILS_KEY]: { commitment } },
  };
  const hash = entryHash(commitment, content);
  await q(
    `INSERT INTO audit_log (seq, at, actor, role, action, entity_type, entity_id, reason, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      content.seq,
      content.at,
      content.actor,
      content.role,
      content.action,
      content.entityType,
      content.entityId,
      content.reason,
      canonicalJson(content.details),
      commitment,
      hash,
    ],
  );
  await q('INSERT INTO audit_sealed (seq, nonce, content) VALUES (?, ?, ?)', [
    content.seq,
    nonce,
    canonicalJson(sealed),
  ]);
  await q('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [content.seq, hash]);
}
