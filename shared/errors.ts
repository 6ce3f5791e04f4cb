/** Stable error codes of the HTTP contract, with their one HTTP status each. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BLINDING_RISK: 400,
  JSON_TOO_DEEP: 400,
  NUMBER_NOT_FINITE: 400,
  SIGNATURE_MEANING_MISMATCH: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  SIGNATURE_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  NOT_ELIGIBLE: 409,
  ALREADY_RANDOMIZED: 409,
  STUDY_NOT_ACTIVE: 409,
  STUDY_NOT_UNBLINDED: 409,
  SAFETY_UNBLINDING_UNAVAILABLE: 409,
  STUDY_NOT_IN_SETUP: 409,
  LIST_EXHAUSTED: 409,
  SCHEME_LOCKED: 409,
  SCHEME_MISSING: 409,
  SCHEME_LEGACY: 409,
  IDEMPOTENCY_IN_FLIGHT: 409,
  DUPLICATE: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_TIMEOUT: 408,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL_ERROR: 500,
  BUSY: 503,
  STORAGE_FULL: 503,
  DATABASE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** Extra facts a client can act on, e.g. the failed eligibility criteria. Never an arm. */
  details?: unknown;
}

/** A sentence a person can act on, per code; the console shows these. */
export const ERROR_SENTENCES: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Some of the values entered are not valid.',
  BLINDING_RISK: 'The text names an arm or product of the trial, which blinded users would read. Reword it without that word.',
  JSON_TOO_DEEP: 'The request is nested too deeply to be read.',
  NUMBER_NOT_FINITE: 'A number in the request is too large or not a number.',
  SIGNATURE_MEANING_MISMATCH: 'The meaning of this signature is fixed by the system; reload the page and sign again.',
  IDEMPOTENCY_KEY_REQUIRED: 'The request was missing its idempotency key; please retry.',
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  SIGNATURE_INVALID: 'The password for your signature was not correct. Nothing was changed.',
  FORBIDDEN: 'Your role does not allow this action.',
  NOT_FOUND: 'That record does not exist or is not visible to you.',
  METHOD_NOT_ALLOWED: 'This action is not available here.',
  CONFLICT: 'This conflicts with the current state; reload and try again.',
  NOT_ELIGIBLE: 'The patient does not meet the eligibility criteria and cannot be randomized.',
  ALREADY_RANDOMIZED: 'This patient has already been randomized.',
  STUDY_NOT_ACTIVE: 'The study is not open for this action in its current status.',
  STUDY_NOT_UNBLINDED: 'This report exists only after the end-of-study unblinding.',
  SAFETY_UNBLINDING_UNAVAILABLE: 'Safety unblinding is not set up for this study, or its designated recipient cannot be reached. Contact the sponsor.',
  STUDY_NOT_IN_SETUP: 'The scheme can only be changed while the study is in set-up.',
  LIST_EXHAUSTED: 'The randomization list for this stratum is used up. Contact the trial statistician.',
  SCHEME_LOCKED: 'The allocation scheme is locked and cannot be changed.',
  SCHEME_MISSING: 'No allocation scheme has been generated yet.',
  SCHEME_LEGACY: 'This draft list predates salted fingerprints; generate or import it again before activating.',
  IDEMPOTENCY_IN_FLIGHT: 'The same request is still being processed; wait a moment and retry.',
  DUPLICATE: 'A record with this identifier already exists.',
  INVALID_TRANSITION: 'This change is not allowed from the record\'s current status.',
  IDEMPOTENCY_KEY_REUSED: 'This request key was already used for a different request.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  HEADERS_TOO_LARGE: 'The request headers are too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The request must be sent as JSON.',
  REQUEST_TIMEOUT: 'The request took too long to arrive; please retry.',
  TOO_MANY_ATTEMPTS: 'Too many attempts. The account is locked; an administrator can unlock it.',
  INTERNAL_ERROR: 'Something went wrong on the server. The incident was logged.',
  BUSY: 'The server is busy; please retry in a moment.',
  STORAGE_FULL: 'The server\'s storage is full, so nothing was saved. Please retry later.',
  DATABASE_UNAVAILABLE: 'The database cannot be reached right now, so nothing was saved. Please retry in a moment.',
};
