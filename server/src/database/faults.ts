/**
 * Database faults a client can do nothing about but wait: another writer holds the lock, the disk is
 * full, the file is read-only or failing, PostgreSQL is down or restarting. Each becomes a 503 with a
 * stable code and Retry-After (never a 500), so clients retry with the same Idempotency-Key.
 */
import { DomainError } from '../common/domain-error.js';
import { driverCode } from './sql.js';

export type FaultKind = 'busy' | 'full' | 'unavailable';

const PG_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
// pg and pg-pool raise these without a code when a connection dies or cannot be made.
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/** What kind of outage an error is, or null when it is not one (a bug, a constraint, bad input). */
export function faultKind(err: unknown): FaultKind | null {
  const code = driverCode(err) ?? (err as { driverError?: { errno?: string } })?.driverError?.errno;
  if (typeof code === 'string') {
    if (
      code === 'SQLITE_BUSY' ||
      code.startsWith('SQLITE_BUSY_') ||
      code === 'SQLITE_LOCKED' ||
      code.startsWith('SQLITE_LOCKED_')
    )
      return 'busy';
    if (code === 'SQLITE_FULL') return 'full';
    if (/^SQLITE_(READONLY|IOERR|CANTOPEN|PROTOCOL|NOLFS|NOMEM)/.test(code)) return 'unavailable';
    // PostgreSQL SQLSTATEs: lock_not_available; serialization/deadlock after our retries; disk_full.
    if (code === '55P03' || code === '40001' || code === '40P01') return 'busy';
    if (code === '53100') return 'full';
    // connection exceptions, insufficient resources, operator intervention (shutdown, cannot connect now), read-only transaction.
    if (/^(08...|53...|57P0[1-4])$/.test(code) || code === '25006') return 'unavailable';
    if (PG_NODE_CODES.has(code)) return 'unavailable';
  }
  // TypeORM releases a PostgreSQL query runner when its connection emits an error (server shut down
  // mid-transaction); the transaction's next statement then fails with this.
  if ((err as Error)?.name === 'QueryRunnerAlreadyReleasedError') return 'unavailable';
  const message = (err as Error)?.message ?? '';
  if (PG_CONNECTION_MESSAGES.test(message)) return 'unavailable';
  const cause = (err as { cause?: unknown; driverError?: unknown })?.driverError ?? (err as { cause?: unknown })?.cause;
  if (
    cause &&
    cause !== err &&
    typeof cause === 'object' &&
    PG_CONNECTION_MESSAGES.test((cause as Error).message ?? '')
  )
    return 'unavailable';
  return null;
}

/** Seconds a client should wait before retrying, per fault. */
export const RETRY_AFTER_SECONDS: Record<FaultKind, number> = { busy: 1, unavailable: 2, full: 10 };

/** The 503 a client sees for a fault. */
export function faultError(kind: FaultKind): DomainError {
  const retryAfter = { 'Retry-After': String(RETRY_AFTER_SECONDS[kind]) };
  if (kind === 'busy')
    return new DomainError(
      'BUSY',
      'The database is busy with another writer; retry in a moment.',
      undefined,
      retryAfter,
    );
  if (kind === 'full')
    return new DomainError(
      'STORAGE_FULL',
      'The database storage is full; nothing was saved. Retry after the operator has freed space.',
      undefined,
      retryAfter,
    );
  return new DomainError(
    'DATABASE_UNAVAILABLE',
    'The database is not reachable or not writable right now; nothing was saved. Retry in a moment.',
    undefined,
    retryAfter,
  );
}

/** The error to pass on: a 503 DomainError for a fault, the error itself otherwise. */
export function translateFault(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const kind = faultKind(err);
  return kind ? faultError(kind) : err;
}
