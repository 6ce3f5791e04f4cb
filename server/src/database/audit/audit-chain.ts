/**
 * The audit chain's arithmetic, shared by the server and the offline CLI verifier:
 * hash = SHA-256(prevHash ‖ canonical JSON of the entry as stored), checkpoints signed with Ed25519.
 * Arm-dependent details are stored as a commitment (audit-seal.ts), so the hash covers the commitment,
 * never the arm. Pure apart from node:crypto; no database access.
 */
import {
  createHash,
  createPublicKey,
  hash as oneShotHash,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import type { AuditEntryView, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { FIRST_STUDY_ID, INSTANCE_CHAIN } from '../study-scope.js';
import { KeyRing } from './key-ring.js';
import {
  commitmentOf,
  isAnchor,
  isLegacy,
  isWithheld,
  NO_LEGACY,
  storedCommitment,
  type SealedPart,
  type SealState,
} from './audit-seal.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Where a chain starts (docs/MULTI-STUDY.md decision 4). The first study's chain predates many studies
 * and starts at 0…0 (its entries, and so their hashes, are unchanged by the upgrade); every later study's
 * chain starts at SHA-256("blindrand chain " + study code), so one chain cannot be passed off as another.
 * The instance's chain (0) starts at SHA-256("blindrand chain instance"): a study may therefore not be
 * coded `instance`.
 */
export function chainGenesis(chain: number, studyCode: string): string {
  if (chain === INSTANCE_CHAIN) return sha256Hex('blindrand chain instance');
  return chain === FIRST_STUDY_ID ? GENESIS_HASH : sha256Hex(`blindrand chain ${studyCode}`);
}

/** What an entry's hash covers: everything but the hashes themselves. */
export type AuditEntryContent = Omit<AuditEntryView, 'prevHash' | 'hash' | 'seal'>;

/** An entry as stored (the shape the API returns, before redaction) with its sealed part, if any. */
export type StoredAuditEntry = AuditEntryView & { sealed?: SealedPart | null };

/** crypto.hash (Node ≥ 20.12) is the one-shot form: same digest, a third of createHash's per-call cost. */
export const sha256Hex: (text: string) => string =
  typeof oneShotHash === 'function'
    ? (text) => oneShotHash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text, 'utf8').digest('hex');

const isStrOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/**
 * canonicalJson of the entry's content, written out key by key (keys in canonical order) when every
 * field has the shape toStoredEntry gives it; anything else (undefined, a Date…) goes through
 * canonicalJson itself. Same bytes either way (test/unit/audit-chain-bytes.test.ts).
 */
export function entryText(entry: AuditEntryContent): string {
  const { seq, at, actor, role, action, entityType, entityId, reason, details } = entry;
  if (
    typeof seq !== 'number' ||
    !Number.isFinite(seq) ||
    typeof at !== 'string' ||
    typeof actor !== 'string' ||
    typeof role !== 'string' ||
    typeof action !== 'string' ||
    typeof entityType !== 'string' ||
    !isStrOrNull(entityId) ||
    !isStrOrNull(reason) ||
    details === undefined
  ) {
    return canonicalJson({ seq, at, actor, role, action, entityType, entityId, reason, details });
  }
  const q = JSON.stringify;
  return `{"action":${q(action)},"actor":${q(actor)},"at":${q(at)},"details":${canonicalJson(details)},"entityId":${q(entityId)},"entityType":${q(entityType)},"reason":${q(reason)},"role":${q(role)},"seq":${q(seq)}}`;
}

export function entryHash(prevHash: string, entry: AuditEntryContent): string {
  return sha256Hex(prevHash + entryText(entry));
}

/** Opens an entry's sealed part for the commitment check (only for entries that may have one). */
export type SealedOpener = () => { details: unknown; sealed: SealedPart | null };

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(cp: { size: number; headHash: string; at: string }): string {
  return canonicalJson({ size: cp.size, headHash: cp.headHash, at: cp.at });
}

export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

/**
 * Checkpoint signatures already found valid, by (trusted key, signed bytes, signature). A verifier run
 * again and again over a growing chain (the dashboard, `audit verify` in a loop, CHECKPOINT_EVERY=1)
 * re-checked every old checkpoint's Ed25519 signature each time: with one checkpoint per entry that was
 * most of its CPU (test/reliability/verify-under-load.test.ts, profiled: 0.1–0.25 ms a signature, 700
 * checkpoints, 400 runs). Ed25519 verification is a pure function of those three strings, so a hit gives
 * the same answer; only valid signatures are kept (a bad one is checked, and reported, every time), and
 * the set is emptied when it reaches its bound.
 */
const VALID_SIGNATURES_MAX = 20_000;
const validSignatures = new Set<string>();
const keyIds = new WeakMap<KeyObject, string>();

/** The key's SPKI bytes (base64): two KeyObjects of one key are one key here. */
function keyId(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    const pub = key.type === 'public' ? key : createPublicKey(key);
    id = (pub.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
    keyIds.set(key, id);
  }
  return id;
}

function checkpointSignatureValid(cp: CheckpointView, trustedKey: KeyObject): boolean {
  try {
    const message = checkpointMessage(cp);
    const signature = String(cp.signature);
    // Neither a base64 key nor canonical JSON holds a newline: the three parts cannot run into each other.
    const memo = `${keyId(trustedKey)}\n${message}\n${signature}`;
    if (validSignatures.has(memo)) return true;
    const valid = verifySignature(null, Buffer.from(message), trustedKey, Buffer.from(signature, 'base64'));
    if (valid) {
      if (validSignatures.size >= VALID_SIGNATURES_MAX) validSignatures.clear();
      validSignatures.add(memo);
    }
    return valid;
  } catch {
    return false;
  }
}

/**
 * Verifies a chain entry by entry (rows pushed in seq order, so a long chain streams) against signed
 * checkpoints. The trusted key comes from the key file, never from the database, so a chain rebuilt
 * with database access alone is caught: its hashes no longer match the signed heads, and forged
 * checkpoints fail the signature.
 *
 * `full` (the server, the offline CLI: they hold the nonces) also checks each sealed value against its
 * commitment and the re-anchor entry against the legacy head. Without `full` (a blinded reader's copy
 * from GET /api/audit) legacy entries whose hashes are withheld are skipped and the chain is checked
 * from the re-anchor entry on.
 */
export class ChainVerifier {
  private readonly problems: string[] = [];
  private firstInvalidSeq: number | null = null;
  private prev: string | null;
  private count = 0;
  private head: string;
  /** Checkpoints by size, checked as the stream passes their entry. */
  private readonly pending = new Map<number, CheckpointView[]>();
  private readonly hashMatches = new Map<CheckpointView, boolean>();

  constructor(
    private readonly checkpoints: CheckpointView[],
    private readonly options: { state?: SealState; full?: boolean; genesis?: string } = {},
  ) {
    this.prev = this.head = options.genesis ?? GENESIS_HASH;
    for (const cp of checkpoints) this.pending.set(cp.size, [...(this.pending.get(cp.size) ?? []), cp]);
  }

  private get state(): SealState {
    return this.options.state ?? NO_LEGACY;
  }

  private fail(seq: number, problem: string): void {
    this.firstInvalidSeq = seq;
    this.problems.push(problem);
  }

  push(row: StoredAuditEntry): void {
    this.count += 1;
    const expectedSeq = this.count;
    this.head = row.hash;
    if (this.firstInvalidSeq !== null) return;
    if (row.seq !== expectedSeq)
      return this.fail(expectedSeq, `entry ${expectedSeq} is missing (found seq ${row.seq} in its place)`);
    if (!this.options.full && isWithheld(row.seq, this.state)) {
      // A blinded reader's copy: this legacy hash is withheld; the chain resumes at the re-anchor entry.
      this.prev = null;
      return;
    }
    if (isAnchor(row.seq, this.state)) {
      if (!this.anchorValid(row)) return;
    } else if (this.prev !== null && row.prevHash !== this.prev) {
      return this.fail(row.seq, `entry ${row.seq}: prevHash does not match the hash of entry ${row.seq - 1}`);
    } else if (this.prev === null) {
      return this.fail(row.seq, `entry ${row.seq}: follows withheld legacy entries but is not the re-anchor entry`);
    }
    if (entryHash(row.prevHash, row) !== row.hash)
      return this.fail(row.seq, `entry ${row.seq}: content does not match its hash (edited after it was written)`);
    this.accept(row.seq, row.hash, () => ({ details: row.details, sealed: row.sealed ?? null }));
  }

  /**
   * The fast path of `push` for a reader that builds the hashed text in the database (audit-verify.ts,
   * SQLite): `text` is prevHash ‖ the entry's canonical JSON as the query wrote it (every text field
   * through json_quote, the stored details text as is), with `prevHash` the stored column it starts
   * with; `open` is given when the entry may carry a sealed part. Returns false, changing nothing,
   * whenever the row is not plainly fine (seq, prevHash, hash, anchor…): the caller then reads the
   * row in full and calls `push`, which reports exactly as before.
   *
   * Why a match here proves what `push` proves: every `"` inside a json_quote'd or JSON.stringify'd
   * string is escaped, so `,"` occurs in the text only at the fixed key separators; text therefore
   * cannot move between fields (nor into or out of the details) without changing the bytes, and equal
   * bytes mean every field, the details included, is the canonical text that was hashed at write time.
   * The stored prevHash is compared on its own (a longer one would shift the bytes, not the check).
   */
  pushCanonical(seq: unknown, prevHash: unknown, text: unknown, hash: unknown, open: SealedOpener | null): boolean {
    if (typeof seq !== 'number' || typeof prevHash !== 'string' || typeof text !== 'string' || typeof hash !== 'string')
      return false;
    const expected = this.count + 1;
    if (this.firstInvalidSeq === null) {
      if (
        seq !== expected ||
        !this.options.full ||
        isAnchor(seq, this.state) ||
        this.prev === null ||
        prevHash !== this.prev
      )
        return false;
      if (sha256Hex(text) !== hash) return false;
    }
    this.count = expected;
    this.head = hash;
    if (this.firstInvalidSeq !== null) return true;
    this.accept(seq, hash, open);
    return true;
  }

  /** After the hash matched: the sealed part against its commitment, then the checkpoints at this size. */
  private accept(seq: number, hash: string, open: SealedOpener | null): void {
    if (open && this.options.full && !isLegacy(seq, this.state)) {
      const { details, sealed } = open();
      const commitment = storedCommitment(details);
      if (commitment !== null && (!sealed || commitmentOf(sealed.nonce, sealed.content) !== commitment)) {
        return this.fail(
          seq,
          `entry ${seq}: its sealed details ${sealed ? 'do not match their commitment (edited)' : 'are missing'}`,
        );
      }
      if (commitment === null && sealed)
        return this.fail(seq, `entry ${seq}: sealed details stored for an entry that commits to none`);
    }
    this.prev = hash;
    const matching = this.pending.get(seq);
    if (matching) for (const cp of matching) this.hashMatches.set(cp, cp.headHash === hash);
  }

  /** The re-anchor entry's prevHash is its own commitment to the legacy head (only `full` can open it). */
  private anchorValid(row: StoredAuditEntry): boolean {
    const commitment = storedCommitment(row.details);
    if (commitment === null || row.prevHash !== commitment) {
      this.fail(row.seq, `entry ${row.seq}: the re-anchor entry's prevHash is not its commitment to the legacy head`);
      return false;
    }
    if (!this.options.full) return true;
    const content = row.sealed?.content as { legacyHeadHash?: unknown } | undefined;
    if (
      !row.sealed ||
      commitmentOf(row.sealed.nonce, content) !== commitment ||
      content?.legacyHeadHash !== this.prev
    ) {
      this.fail(
        row.seq,
        `entry ${row.seq}: the re-anchor entry does not commit to the hash of legacy entry ${row.seq - 1}`,
      );
      return false;
    }
    return true;
  }

  /** `trusted`: one key, or a ring of rotated keys (each accepted only for its range of sizes). */
  finish(trusted: KeyObject | KeyRing | null): VerifyResult {
    const problems = [...this.problems];
    let firstInvalidSeq = this.firstInvalidSeq;
    const count = this.count;
    let checked: VerifyResult['checkpoint'] = null;
    const ordered = [...this.checkpoints].sort((a, b) => a.size - b.size);
    for (const cp of ordered) {
      if (!this.options.full && isWithheld(cp.size, this.state)) continue;
      // With rotated keys, each checkpoint is checked with the key of record for its size only. A rotation
      // record's sizes are the first study's chain's (genesis 0…0, where `key rotate` writes); on any other
      // chain (the instance's, a later study's) the key is the one of record at the checkpoint's signed time.
      const bySize = (this.options.genesis ?? GENESIS_HASH) === GENESIS_HASH;
      const trustedKey =
        trusted instanceof KeyRing ? (bySize ? trusted.keyForSize(cp.size) : trusted.keyAt(cp.at)) : trusted;
      const signatureValid = trustedKey ? checkpointSignatureValid(cp, trustedKey) : false;
      const matches = this.hashMatches.get(cp) === true;
      if (!signatureValid)
        problems.push(`checkpoint at size ${cp.size}: signature does not verify with the trusted key`);
      if (cp.size > count) {
        problems.push(
          `checkpoint at size ${cp.size} is signed, but the chain has only ${count} entries: entries were deleted`,
        );
        if (firstInvalidSeq === null) firstInvalidSeq = count + 1;
      } else if (!matches && firstInvalidSeq === null) {
        problems.push(
          `checkpoint at size ${cp.size}: the chain's hash there differs from the signed head (chain rewritten)`,
        );
      }
      checked = { size: cp.size, headHash: cp.headHash, at: cp.at, signatureValid, matches };
    }
    if (trusted instanceof KeyRing) problems.push(...trusted.problems);
    if (!trusted && ordered.length > 0)
      problems.push('no trusted public key given: checkpoint signatures were not checked');
    return {
      valid: problems.length === 0,
      count,
      headHash: count ? this.head : (this.options.genesis ?? GENESIS_HASH),
      firstInvalidSeq,
      checkpoint: checked,
      problems,
    };
  }
}

/** Verifies rows held in memory (tests, small chains); the server and CLI stream through ChainVerifier. */
export function verifyChain(
  rows: StoredAuditEntry[],
  checkpoints: CheckpointView[],
  trusted: KeyObject | KeyRing | null,
  options: { state?: SealState; full?: boolean; genesis?: string } = { full: true },
): VerifyResult {
  const verifier = new ChainVerifier(checkpoints, options);
  for (const row of rows) verifier.push(row);
  return verifier.finish(trusted);
}
