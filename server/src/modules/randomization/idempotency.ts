/**
 * Idempotency for randomization: one key per randomization intent, and it belongs to the user who
 * sent it. The stored response is replayed only to the same user, for the same body, while that
 * user can still see the patient; anyone else gets 422 (or 404). Concurrent duplicates in this
 * process wait for the original and get its response — again only the same user with the same
 * body. Across processes, the key's row (written in the same transaction as the allocation)
 * decides: a transaction that finds it already written stops (KeyAlreadyUsed, nothing written) and
 * the caller replays outside the write transaction, so a replay needs no audit entry of its own.
 */
import { DomainError } from '../../common/domain-error.js';
import type { Sql } from '../../database/sql.js';

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed?: boolean;
}

const keyReused = () =>
  new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a different request. Use a new key for a new randomization.',
  );

export const IdempotencyRepository = {
  /**
   * The key's stored request. Keys are unique in the instance; one used in another study is a reuse
   * (422, as for another request), never a replay: its answer belongs to that study.
   */
  async find(
    sql: Sql,
    studyId: number,
    key: string,
  ): Promise<{ userId: string; route: string; bodyHash: string; response: StoredResponse } | null> {
    const row = await sql.one<Record<string, unknown>>('SELECT * FROM idempotency_keys WHERE idem_key = ?', [key]);
    if (!row) return null;
    if (Number(row.study_id) !== studyId) throw keyReused();
    return {
      userId: String(row.user_id),
      route: String(row.route),
      bodyHash: String(row.body_hash),
      response: { status: Number(row.status_code), body: JSON.parse(String(row.response)) },
    };
  },

  insert: (
    sql: Sql,
    studyId: number,
    key: string,
    userId: string,
    route: string,
    bodyHash: string,
    response: StoredResponse,
    at: string,
  ) =>
    sql.exec(
      'INSERT INTO idempotency_keys (study_id, idem_key, user_id, route, body_hash, status_code, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [studyId, key, userId, route, bodyHash, response.status, JSON.stringify(response.body), at],
    ),
};

/** The stored response if the key was used for this very request; 422 if for another. */
export function replayOrReject(
  stored: { userId: string; route: string; bodyHash: string; response: StoredResponse } | null,
  userId: string,
  route: string,
  bodyHash: string,
): StoredResponse | null {
  if (!stored) return null;
  if (stored.userId !== userId || stored.route !== route || stored.bodyHash !== bodyHash) throw keyReused();
  return { ...stored.response, replayed: true };
}

export function checkKey(key: string | undefined): string {
  if (!key)
    throw new DomainError(
      'IDEMPOTENCY_KEY_REQUIRED',
      'Send an Idempotency-Key header (one per randomization intent, reused on retry).',
    );
  if (!/^[A-Za-z0-9._:-]{8,128}$/.test(key))
    throw new DomainError(
      'VALIDATION_FAILED',
      'The Idempotency-Key must be 8–128 letters, digits, dots, dashes, underscores or colons.',
    );
  return key;
}

const WAIT_FOR_ORIGINAL_MS = 30_000;

/**
 * Thrown inside a write transaction that finds its key already stored by another process; the
 * caller replays. A DomainError so that, should it ever escape, the client gets a 409 to retry
 * (and the write path treats it as an ordinary refusal, not a database fault).
 */
export class KeyAlreadyUsed extends DomainError {
  constructor() {
    super(
      'IDEMPOTENCY_IN_FLIGHT',
      'The same request was just completed by another server; retry with the same key to receive its response.',
    );
  }
}

/** Coalesces concurrent requests with the same key, user and body inside this process. */
export class InFlightRequests {
  private readonly running = new Map<string, { userId: string; bodyHash: string; promise: Promise<StoredResponse> }>();

  async run(
    key: string,
    userId: string,
    bodyHash: string,
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    const current = this.running.get(key);
    if (current) {
      // Another user (or another body) never joins: it would receive someone else's number and code.
      if (current.userId !== userId || current.bodyHash !== bodyHash)
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key is in use for a different request.');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new DomainError(
                'IDEMPOTENCY_IN_FLIGHT',
                'The original request with this key is still being processed; retry shortly.',
              ),
            ),
          WAIT_FOR_ORIGINAL_MS,
        );
      });
      try {
        const result = await Promise.race([current.promise, timeout]);
        return { ...result, replayed: true };
      } finally {
        clearTimeout(timer);
      }
    }
    const promise = work();
    this.running.set(key, { userId, bodyHash, promise });
    try {
      return await promise;
    } finally {
      this.running.delete(key);
    }
  }
}
