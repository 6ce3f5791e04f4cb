/**
 * The one exception filter: every error leaves as `{statusCode, code, message}` with a code from
 * shared/errors.ts. Database outages (lock held, disk full, file read-only or failing, PostgreSQL
 * down) become 503 with Retry-After (database/faults.ts), wherever they were raised. Unknown errors
 * are logged with their stack here and answered 500 without details; no stack trace ever reaches a client.
 */
import { Catch, HttpException, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody, ErrorCode } from '../../../shared/errors.js';
import { DomainError } from '../common/domain-error.js';
import { ErrorBodyGuard } from './error-body-guard.js';
import { MAX_JSON_DEPTH } from '../common/request-guards.js';
import { faultKind, faultError } from '../database/faults.js';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_ATTEMPTS',
  503: 'BUSY',
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Optional so the filter also works where the trial features (and their vocabulary) are not loaded. */
  constructor(@Optional() private readonly blinding?: ErrorBodyGuard) {}

  catch(raised: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const kind = raised instanceof DomainError ? null : faultKind(raised);
    if (kind) this.logger.warn(`database fault (${kind}): ${(raised as Error)?.message ?? String(raised)}`);
    const exception = kind ? faultError(kind) : raised;
    const raw = this.toBody(exception);
    const body = this.blinding ? this.blinding.guard(host.switchToHttp().getRequest(), raw) : raw;
    if (res.headersSent) return;
    if (exception instanceof DomainError && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    if (body.statusCode === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '1');
    res.status(body.statusCode).json(body);
  }

  private toBody(thrown: unknown): ErrorBody {
    // Nest wraps the body parser's errors in an HttpException; their `type` is on the cause.
    const cause = thrown instanceof HttpException ? (thrown.cause as { type?: unknown } | undefined) : undefined;
    const exception = typeof cause?.type === 'string' ? cause : thrown;
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.details !== undefined ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
      return { statusCode: status, code, message: messageOf(exception, code) };
    }
    // Errors raised by Express middleware (body parser) carry a status and a type.
    const e = exception as { status?: number; statusCode?: number; type?: string };
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (e.type === 'entity.too.large')
        return {
          statusCode: 413,
          code: 'PAYLOAD_TOO_LARGE',
          message: 'The request body is larger than the server accepts.',
        };
      if (e.type === 'entity.too.deep')
        return {
          statusCode: 400,
          code: 'JSON_TOO_DEEP',
          message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
        };
      if (e.type === 'entity.parse.failed')
        return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' };
      return {
        statusCode: status,
        code: STATUS_CODES[status] ?? 'VALIDATION_FAILED',
        message: 'The request could not be read.',
      };
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    return {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server. The incident was logged.',
    };
  }
}

function messageOf(exception: HttpException, code: ErrorCode): string {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null) {
    const m = (response as { message?: unknown }).message;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (typeof m === 'string' && code !== 'NOT_FOUND') return m;
  }
  if (code === 'NOT_FOUND') return 'No such endpoint or record.';
  return typeof response === 'string' ? response : exception.message;
}
