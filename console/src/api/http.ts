/**
 * The one place where the console talks HTTP: bearer token, JSON, error codes turned into one
 * sentence a person can act on, in their language (error-sentences.ts, catalogue namespace errors),
 * and 401 → back to sign-in. Study paths go to the study the console is in (study-scope.ts).
 */
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../../shared/errors.js';
import { locale, t } from '../i18n/index.js';
import { sentenceKey } from './error-sentences.js';
import { withFailureDetails } from './failure-details.js';
import { scopedPath } from './study-scope.js';

/** An API failure with its stable code and the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    /** The server's own message (specific: which field, which criterion). */
    readonly detail: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail || code);
    this.name = 'ApiError';
  }

  /** One sentence in the reader's language: a known variant, else (English) the server's own, else the code's. */
  get sentence(): string {
    const chosen = sentenceKey(this.code, this.detail, locale.value);
    // …then, after a wrong password, whose it was and how many attempts remain (failure-details.ts).
    return withFailureDetails(chosen ? t(chosen.key, chosen.params) : this.detail, this.details);
  }
}

let token: string | null = null;
let unauthenticatedHandler: (() => void) | null = null;
let activityHandler: (() => void) | null = null;

export function setToken(value: string | null): void {
  token = value;
}

/** Called once by main.ts: what to do when the session is gone (clear it, go to sign-in). */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

/** Called once by main.ts: every answered request made with the token counts as activity on the server's idle clock. */
export function onActivity(handler: () => void): void {
  activityHandler = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** Raw text (CSV) instead of JSON. */
  text?: boolean;
  /** Send the body as text/csv. */
  csvBody?: string;
  signal?: AbortSignal;
}

function url(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${scopedPath(path)}${qs ? `?${qs}` : ''}`;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in ERROR_STATUS;
}

/** Performs one request; resolves with the parsed body or rejects with an ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: options.text ? 'text/csv, text/plain, */*' : 'application/json',
    ...options.headers,
  };
  const sentWith = token;
  if (sentWith) headers.Authorization = `Bearer ${sentWith}`;
  let body: string | undefined;
  if (options.csvBody !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = options.csvBody;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '');
  }
  if (headers.Authorization && response.status !== 401) activityHandler?.();
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    if (options.text) return (await response.text()) as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }
  let parsed: Partial<ErrorBody> = {};
  try {
    parsed = (await response.json()) as Partial<ErrorBody>;
  } catch {
    /* a body that is not JSON: keep the status alone */
  }
  const code: ErrorCode = isErrorCode(parsed.code) ? parsed.code : fallbackCode(response.status);
  const retryAfter = Number(response.headers.get('retry-after') ?? '') || undefined;
  const error = new ApiError(response.status, code, parsed.message ?? '', parsed.details, retryAfter);
  // A wrong signature password is a 401 too, but the session is fine: only UNAUTHENTICATED signs out, and only
  // for the session the request was sent with. A request sent before a sign-in (the study banner's, without a
  // token) may be answered after it: its 401 must not end the session that has just begun.
  if (response.status === 401 && code === 'UNAUTHENTICATED' && path !== '/auth/login' && sentWith && sentWith === token)
    unauthenticatedHandler?.();
  throw error;
}

function fallbackCode(status: number): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: 'VALIDATION_FAILED',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    422: 'IDEMPOTENCY_KEY_REUSED',
    429: 'TOO_MANY_ATTEMPTS',
    503: 'BUSY',
  };
  return byStatus[status] ?? 'INTERNAL_ERROR';
}

/** The sentence to show for any thrown value. */
export function errorSentence(e: unknown): string {
  if (e instanceof ApiError) return e.sentence;
  return t('errors.UNEXPECTED');
}

/** Saves a text response (CSV) as a file without exposing the token in a URL. */
export async function download(path: string, filename: string, query?: RequestOptions['query']): Promise<void> {
  const text = await request<string>(path, { query, text: true });
  const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
