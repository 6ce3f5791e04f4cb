/**
 * Reads a protocol file: YAML → schema check (ajv) → cross-reference checks → a normalized
 * `Protocol` with defaults filled in. Every error names the field path, the line and what was
 * expected; all errors are returned at once so a file can be fixed in one pass.
 */
import type { ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { Locator } from './locate.js';
import { validate as generatedValidator } from './schema-validator.generated.js';
import { schemaErrorsToProtocolErrors } from './schema-errors.js';
import { semanticErrors } from './semantic-checks.js';
import { DEFAULT_CODE_ALPHABET, type Criterion, type ParseResult, type Protocol } from './types.js';

/** Default number of list entries generated per stratum when neither file nor caller says. */
const DEFAULT_LIST_LENGTH = 24;

/**
 * The schema's validator (schema.ts), compiled ahead of time by ajv into schema-validator.generated.ts: compiling it
 * at run time cost each server start and each CLI command that reads a protocol about 0.2 s of CPU. It returns
 * whether the data fits and leaves ajv's errors on itself, as a compiled ajv function does.
 */
const validate = generatedValidator as unknown as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

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
