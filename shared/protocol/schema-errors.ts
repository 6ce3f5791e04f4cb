/**
 * Turns ajv's errors into sentences that name the field, the line and what was expected.
 * ajv reports JSON pointers and keywords; a trial statistician editing YAML needs neither.
 */
import type { ErrorObject } from 'ajv';
import { formatPath, type Locator, type PathSegment } from './locate.js';
import type { ProtocolError } from './types.js';

const PATTERN_HINTS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_.-]*$': 'a code of letters, digits, "_", "." or "-" starting with a letter or digit',
  '^[a-z][a-z0-9_-]*$': 'an identifier of lower-case letters, digits, "_" or "-" starting with a letter',
  '^[A-Za-z0-9-]*$': 'letters, digits or "-"',
};

function pointerToSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function typeName(t: unknown): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  return (Array.isArray(t) ? t : [t]).map((x) => names[String(x)] ?? String(x)).join(' or ');
}

function oneError(e: ErrorObject, locate: Locator): ProtocolError {
  const at = pointerToSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = String(p.missingProperty);
      return {
        path: formatPath([...at, field]),
        line: locate.lineOf(at),
        message: `missing required field "${field}"`,
      };
    }
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return {
        path: formatPath([...at, field]),
        line: locate.lineOfKey(at, field),
        message: `unknown field "${field}"; expected one of: ${allowed.join(', ')}`,
      };
    }
    case 'type':
      return locate.error(at, `expected ${typeName(p.type)}, got ${describe(e.data)}`);
    case 'enum':
      return locate.error(
        at,
        `expected one of ${(p.allowedValues as unknown[]).map((v) => `"${String(v)}"`).join(', ')}, got ${describe(e.data)}`,
      );
    case 'const':
      return locate.error(at, `expected ${JSON.stringify(p.allowedValue)}, got ${describe(e.data)}`);
    case 'pattern':
      return locate.error(
        at,
        `expected ${PATTERN_HINTS[String(p.pattern)] ?? `text matching ${String(p.pattern)}`}, got ${describe(e.data)}`,
      );
    case 'minItems':
      return locate.error(at, `expected at least ${String(p.limit)} item(s), got ${(e.data as unknown[]).length}`);
    case 'minimum':
    case 'maximum':
      return locate.error(
        at,
        `expected a value ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)}, got ${describe(e.data)}`,
      );
    case 'minLength':
      return locate.error(at, p.limit === 1 ? 'must not be empty' : `expected at least ${String(p.limit)} characters`);
    case 'maxLength':
      return locate.error(at, `expected at most ${String(p.limit)} characters`);
    case 'minProperties':
      return locate.error(at, 'expected at least one test (equals, in, min or max)');
    default:
      return locate.error(at, e.message ?? `invalid (${e.keyword})`);
  }
}

/** Every schema error as a protocol error, de-duplicated, in file order. */
export function schemaErrorsToProtocolErrors(errors: readonly ErrorObject[], locate: Locator): ProtocolError[] {
  const seen = new Set<string>();
  const out: ProtocolError[] = [];
  for (const e of errors) {
    const pe = oneError(e, locate);
    const key = `${pe.path}|${pe.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pe);
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
