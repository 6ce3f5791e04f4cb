/**
 * The keys a verifier may accept, derived from ONE key it trusts (the key file, or a published
 * public key) and the rotation records in the database (`signing_keys`, written by `key rotate`).
 * Each record is signed by the retiring key (handover) and by the new key (succession), so:
 *  - from today's key, the verifier walks back: a record naming it as the new key, with its
 *    succession signature valid under it, vouches for the previous key up to `previousLastSize`;
 *  - from an older published key, it walks forward: a record naming it as the previous key, with
 *    a handover signature valid under it, vouches for the new key from `previousLastSize + 1`.
 * Someone with database access alone can add no key: every step needs a signature by a key already
 * trusted. A record that does not verify is reported (verification fails), never silently used.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';

export interface KeyRotationRecord {
  id: number;
  publicKey: string;
  previousKey: string;
  /** The last chain size the previous key signed (the rotation's own checkpoint). */
  previousLastSize: number;
  at: string;
  handoverSignature: string;
  successionSignature: string;
}

export interface TrustedKey {
  publicKey: string;
  key: KeyObject;
  /** Checkpoint sizes this key may sign (inclusive; null: unbounded). */
  firstSize: number;
  lastSize: number | null;
  /** Times (ISO) during which this key sealed e-signatures (null: unbounded). */
  from: string | null;
  until: string | null;
}

/** The bytes both rotation signatures cover. */
export function rotationMessage(
  r: Pick<KeyRotationRecord, 'publicKey' | 'previousKey' | 'previousLastSize' | 'at'>,
): string {
  return canonicalJson({
    purpose: 'blindrand signing key rotation',
    publicKey: r.publicKey,
    previousKey: r.previousKey,
    previousLastSize: r.previousLastSize,
    at: r.at,
  });
}

function toRotationRecord(r: Record<string, unknown>): KeyRotationRecord {
  return {
    id: Number(r.id),
    publicKey: String(r.public_key),
    previousKey: String(r.previous_key),
    previousLastSize: Number(r.previous_last_size),
    at: String(r.at),
    handoverSignature: String(r.handover_signature),
    successionSignature: String(r.succession_signature),
  };
}

/** The rotation records, oldest first; a database from before migration 008 has none. */
export async function readRotationRecords(
  all: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<KeyRotationRecord[]> {
  try {
    return (await all('SELECT * FROM signing_keys ORDER BY id')).map(toRotationRecord);
  } catch {
    return [];
  }
}

function keyFrom(spkiBase64: string): KeyObject | null {
  try {
    return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function signedBy(key: KeyObject | null, message: string, signature: string): boolean {
  if (!key) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function spki(key: KeyObject): string {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
}

export class KeyRing {
  private constructor(
    readonly keys: TrustedKey[],
    readonly problems: string[],
  ) {}

  /** The ring for one trusted key and the database's rotation records. */
  static from(trusted: KeyObject, records: KeyRotationRecord[]): KeyRing {
    const problems: string[] = [];
    const start: TrustedKey = {
      publicKey: spki(trusted),
      key: trusted,
      firstSize: 1,
      lastSize: null,
      from: null,
      until: null,
    };
    const keys = [start];
    const verified = (r: KeyRotationRecord, newKey: KeyObject | null, oldKey: KeyObject | null): boolean => {
      const message = rotationMessage(r);
      if (signedBy(newKey, message, r.successionSignature) && signedBy(oldKey, message, r.handoverSignature))
        return true;
      problems.push(
        `key rotation record ${r.id} (at ${r.at}) does not verify with the keys it names: it was not made by \`key rotate\``,
      );
      return false;
    };
    // Backward: older keys vouched for by the trusted one.
    for (let current = start; ;) {
      const r = records.find((x) => x.publicKey === current.publicKey);
      if (!r) break;
      const older = keyFrom(r.previousKey);
      if (!verified(r, current.key, older) || keys.some((k) => k.publicKey === r.previousKey)) break;
      current.firstSize = r.previousLastSize + 1;
      current.from = r.at;
      const prev: TrustedKey = {
        publicKey: r.previousKey,
        key: older!,
        firstSize: 1,
        lastSize: r.previousLastSize,
        from: null,
        until: r.at,
      };
      keys.push(prev);
      current = prev;
    }
    // Forward: newer keys handed over to by the trusted one.
    for (let current = start; ;) {
      const candidates = records.filter((x) => x.previousKey === current.publicKey);
      const r = candidates.find((x) => verified(x, keyFrom(x.publicKey), current.key));
      if (!r || keys.some((k) => k.publicKey === r.publicKey)) break;
      current.lastSize = r.previousLastSize;
      current.until = r.at;
      const next: TrustedKey = {
        publicKey: r.publicKey,
        key: keyFrom(r.publicKey)!,
        firstSize: r.previousLastSize + 1,
        lastSize: null,
        from: r.at,
        until: null,
      };
      keys.push(next);
      current = next;
    }
    const known = new Set(keys.map((k) => k.publicKey));
    for (const r of records) {
      if (!known.has(r.publicKey) || !known.has(r.previousKey))
        problems.push(
          `key rotation record ${r.id} (at ${r.at}) is not linked to the trusted key: it was not made by \`key rotate\` from this key's line`,
        );
    }
    return new KeyRing(keys, [...new Set(problems)]);
  }

  /** The key that may have signed a checkpoint at this chain size. */
  keyForSize(size: number): KeyObject | null {
    return this.keys.find((k) => size >= k.firstSize && (k.lastSize === null || size <= k.lastSize))?.key ?? null;
  }

  /** The key that sealed e-signatures at this time. */
  keyAt(at: string): KeyObject | null {
    return this.keys.find((k) => (k.from === null || at >= k.from) && (k.until === null || at <= k.until))?.key ?? null;
  }
}
