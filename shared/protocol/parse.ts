/**
 * Reads a protocol file: YAML → schema check (ajv) → cross-reference checks → a normalized
 * `Protocol` with defaults filled in. Every error names the field path, the line and what was
 * expected; all errors are returned at once so a file can be fixed in one pass.
 */
import { Ajv } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { Locator } from './locate.js';
import { PROTOCOL_SCHEMA } from './schema.js';
import { schemaErrorsToProtocolErrors } from './schema-errors.js';
import { semanticErrors } from './semantic-checks.js';
import { DEFAULT_CODE_ALPHABET, type Criterion, type ParseResult, type Protocol } from './types.js';

/** Default number of list entries generated per stratum when neither file nor caller says. */
const DEFAULT_LIST_LENGTH = 24;

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator() {
  // validateSchema: false — checking our constant schema against draft-07's meta-schema compiled the meta-schema
  // first, half of the cost of every server start and CLI command that reads a protocol (profiled); the unit test
  // protocol-schema.test.ts checks it once instead.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false, validateSchema: false }).compile(
    PROTOCOL_SCHEMA,
  );
  return compiled;
}

/**
 * Parse and validate a protocol file.
 * @param yamlText the file's text
 * @param sourceName used only in messages about unreadable YAML
 */
export function parseProtocol(yamlText: string, sourceName = 'protocol'): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        path: '(document)',
        line: lines.linePos(e.pos[0]).line,
        message: `${sourceName}: not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const raw: unknown = doc.toJS();
  const locate = new Locator(doc, lines);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [
        {
          path: '(document)',
          line: 1,
          message: `${sourceName}: expected a mapping of protocol sections (study, design, arms, …)`,
        },
      ],
    };
  }
  const validate = validator();
  if (!validate(raw)) return { ok: false, errors: schemaErrorsToProtocolErrors(validate.errors ?? [], locate) };
  const problems = semanticErrors(raw, locate);
  if (problems.length > 0) return { ok: false, errors: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  return { ok: true, protocol: normalize(raw as Record<string, any>) };
}

/** Parse or throw one Error listing every problem, for callers that cannot continue anyway. */
export function parseProtocolOrThrow(yamlText: string, sourceName = 'protocol'): Protocol {
  const result = parseProtocol(yamlText, sourceName);
  if (result.ok) return result.protocol;
  throw new Error(result.errors.map(formatProtocolError).join('\n'));
}

/** `arms[1].ratio (line 34): expected a whole number, got "two"` */
export function formatProtocolError(e: { path: string; line: number | null; message: string }): string {
  return `${e.path}${e.line !== null ? ` (line ${e.line})` : ''}: ${e.message}`;
}

function normalizeCriterion(c: any): Criterion {
  const base = {
    id: c.id,
    text: c.text,
    kind: c.kind ?? 'inclusion',
    ...(c.appliesWhen ? { appliesWhen: { ...c.appliesWhen } } : {}),
  };
  if (c.anyOf) return { ...base, anyOf: c.anyOf.map(normalizeCriterion) };
  if (c.allOf) return { ...base, allOf: c.allOf.map(normalizeCriterion) };
  const test: Record<string, unknown> = {};
  for (const k of ['equals', 'in', 'min', 'max']) if (c[k] !== undefined) test[k] = c[k];
  return { ...base, question: c.question, ...test };
}

function normalize(raw: any): Protocol {
  return {
    version: 1,
    study: {
      code: raw.study.code,
      title: raw.study.title,
      ...(raw.study.registryId ? { registryId: raw.study.registryId } : {}),
    },
    design: raw.design,
    periods: raw.periods ?? [{ number: 1, label: 'Treatment' }],
    products: raw.products,
    arms: raw.arms,
    ...(raw.sites ? { sites: raw.sites } : {}),
    questions: raw.questions,
    eligibility: raw.eligibility.map(normalizeCriterion),
    stratification: {
      bySite: raw.stratification.bySite ?? false,
      factors: raw.stratification.factors.map((f: any) => ({
        id: f.id,
        label: f.label,
        question: f.question,
        levels: f.levels.map((l: any) => ({ code: l.code, label: l.label ?? l.code, when: l.when })),
      })),
    },
    unblinding: {
      policy: raw.unblinding.policy,
      ...(raw.unblinding.safety ? { safety: { recipient: { ...raw.unblinding.safety.recipient } } } : {}),
      ...(raw.unblinding.emergency
        ? {
            emergency: {
              contacts: raw.unblinding.emergency.contacts,
              escalateAfterMinutes: raw.unblinding.emergency.escalateAfterMinutes,
              escalateTo: raw.unblinding.emergency.escalateTo,
              backupMonitors: raw.unblinding.emergency.backupMonitors ?? [],
            },
          }
        : {}),
    },
    blinding: { allowedPhrases: raw.blinding?.allowedPhrases ?? [] },
    treatmentCode: {
      prefix: raw.treatmentCode.prefix ?? '',
      length: raw.treatmentCode.length,
      alphabet: raw.treatmentCode.alphabet ?? DEFAULT_CODE_ALPHABET,
    },
    listLengthPerStratum: raw.listLengthPerStratum ?? DEFAULT_LIST_LENGTH,
    ...(raw.randomization
      ? { randomization: { method: raw.randomization.method, params: raw.randomization.params ?? {} } }
      : {}),
  };
}
