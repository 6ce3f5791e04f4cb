import { ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';

/** A failure the client can act on: a stable code, a human message, optional details (never an arm). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} was not found.`);
