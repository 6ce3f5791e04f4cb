/**
 * Guards that run on the raw request, before Nest's pipes: a JSON nesting limit (class-transformer
 * recurses once per level, so 3,000 nested arrays overflowed the stack: 500), non-finite numbers
 * (`1e309` parses to Infinity, which canonical JSON and the audit hash cannot represent), NUL
 * characters in text (PostgreSQL cannot store U+0000 in a text column: 500), 405 with
 * `Allow` for a known path and a wrong method, and an error body for requests Node rejects before
 * Express sees them (431 on oversized headers).
 */
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type express from 'express';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../../shared/errors.js';
import { DomainError } from './domain-error.js';

/** Deeper than any body of the contract (the deepest, a scheme import's params, is about 4). */
export const MAX_JSON_DEPTH = 32;

const OPEN = [0x5b, 0x7b]; // [ {
const CLOSE = [0x5d, 0x7d]; // ] }

/**
 * body-parser's `verify` hook: scans the raw bytes (outside strings) for the nesting depth before
 * JSON.parse runs. Linear, no recursion; UTF-8 continuation bytes never equal these ASCII bytes.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (OPEN.includes(b)) {
      if (++depth > MAX_JSON_DEPTH)
        throw Object.assign(new Error('JSON nested too deeply'), { type: 'entity.too.deep' });
    } else if (CLOSE.includes(b)) depth--;
  }
}

/** A lone UTF-16 surrogate: JSON allows it ("\ud800") but UTF-8 cannot store it, so the stored text would differ from the hashed one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first value no database column can hold as sent: a non-finite number (`1e309`), text with
 * U+0000 (PostgreSQL refuses it), or text with a lone surrogate (UTF-8 cannot store it).
 */
function unstorableValue(value: unknown): DomainError | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v))
      return new DomainError(
        'NUMBER_NOT_FINITE',
        `The number at ${path || '(body)'} is too large (or not a number); send a finite number.`,
      );
    if (typeof v === 'string' && v.includes('\u0000'))
      return new DomainError(
        'VALIDATION_FAILED',
        `The text at ${path || '(body)'} contains a NUL character (U+0000), which cannot be stored.`,
      );
    if (typeof v === 'string' && LONE_SURROGATE.test(v))
      return new DomainError(
        'VALIDATION_FAILED',
        `The text at ${path || '(body)'} is not valid Unicode (a lone surrogate); send well-formed text.`,
      );
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const at = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        if (k.includes('\u0000') || LONE_SURROGATE.test(k))
          return new DomainError(
            'VALIDATION_FAILED',
            `The field name ${JSON.stringify(at)} is not storable text (NUL or a lone surrogate).`,
          );
        stack.push([child, at]);
      }
    }
  }
  return null;
}

export function rejectUnstorableValues(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  // %00 in the path or query would reach a query parameter too (a filter, a lookup by name).
  if (/%00/.test(req.originalUrl))
    return next(new DomainError('VALIDATION_FAILED', 'The address contains a NUL character (%00).'));
  next(req.body !== undefined ? (unstorableValue(req.body) ?? undefined) : undefined);
}

interface RouteEntry {
  matches: (path: string) => boolean;
  methods: string[];
}

/**
 * 405 with `Allow` when the path names an existing route but not for this method (Nest answers
 * 404 for any unmatched method). The route table is read from Express's router on first use,
 * after Nest has registered every route.
 */
export function methodNotAllowed(expressApp: express.Application): express.RequestHandler {
  let routes: RouteEntry[] | null = null;
  const table = (): RouteEntry[] => {
    const stack = ((expressApp as unknown as { router?: { stack: unknown[] } }).router?.stack ?? []) as Array<{
      route?: { methods: Record<string, boolean> };
      matchers?: Array<(p: string) => unknown>;
    }>;
    return stack
      .filter((layer) => layer.route && layer.matchers)
      .map((layer) => ({
        matches: (p: string) => layer.matchers!.some((m) => Boolean(m(p))),
        methods: Object.keys(layer.route!.methods).map((m) => m.toUpperCase()),
      }));
  };
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    routes ??= table();
    const path = req.originalUrl.split('?')[0];
    const allowed = new Set<string>();
    for (const r of routes) if (r.matches(path)) r.methods.forEach((m) => allowed.add(m));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.size === 0 || allowed.has(req.method) || allowed.has('_ALL')) return next();
    res.setHeader('Allow', [...allowed].sort().join(', '));
    next(
      new DomainError(
        'METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${path}; allowed: ${[...allowed].sort().join(', ')}.`,
      ),
    );
  };
}

/**
 * Requests Node's HTTP parser rejects never reach Express; by default Node writes a bare status
 * line. This answers them with the contract's error body instead (431 for a 20 KB header).
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [code, message]: [ErrorCode, string] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? ['HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts (16 KB in all).']
        : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
          ? ['PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? ['REQUEST_TIMEOUT', 'The request was not received in time.']
            : ['VALIDATION_FAILED', 'The request is not valid HTTP.'];
    const status = ERROR_STATUS[code];
    const body: ErrorBody = { statusCode: status, code, message };
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
}
