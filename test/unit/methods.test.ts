/**
 * Every registered allocation method is complete, so that a half-added method fails here rather
 * than in a user's hands: its descriptor is registered under its code; its defaults are within
 * its ranges and normalize; every label exists in English and French; every CLI flag reads back
 * the value it was given (flag and compare spec) and is listed by --help; every console form
 * field has a label, an initial value within range and reads back; and the engine serves it
 * end to end (a list or a live scheme, a simulation, exact figures when it declares them).
 */
import { METHOD_CODES } from '../../shared/protocol/index.js';
import {
  EngineError,
  exactFigures,
  generateScheme,
  normalizeParams,
  simulate,
  type ArmWeight,
} from '../../shared/engine/index.js';
import {
  GENERATED_METHODS,
  METHODS,
  findMethod,
  sharedParams,
  type MethodDescriptor,
  type ParamSpec,
} from '../../shared/engine/methods/index.js';
import { formFields, initialForm, paramsFromForm } from '../../shared/engine/methods/form.js';
import { NAMESPACES } from '../../shared/i18n/messages/index.js';
import { translate } from '../../shared/i18n/catalogue.js';
import { designFromSpec, flagName, paramsFromFlags } from '../../server/src/simulation/cli-params.js';
import { runCli } from '../../server/src/cli/main.js';
import { msctProtocol } from './helpers.js';

const ARMS: ArmWeight[] = [
  { code: 'A', ratio: 1 },
  { code: 'B', ratio: 1 },
];
const ALL = Object.values(METHODS) as MethodDescriptor[];

/** The message of `key` in `locale`, or undefined (no fallback to English, no key echoed). */
function message(locale: 'en' | 'fr', key: string): string | undefined {
  const dot = key.indexOf('.');
  return NAMESPACES[key.slice(0, dot)]?.[locale][key.slice(dot + 1)];
}

function expectLabelled(key: string | undefined, what: string): void {
  expect({ what, key, en: key && typeof message('en', key) }).toEqual({ what, key, en: 'string' });
  expect({ what, key, fr: key && typeof message('fr', key) }).toEqual({ what, key, fr: 'string' });
}

/** A parameter's normalized value written as its CLI flag's text. */
function asFlagText(spec: ParamSpec, value: unknown): string {
  if (spec.kind === 'sizes') return (value as number[]).join(',');
  if (spec.kind === 'weights')
    return Object.entries(value as Record<string, number>)
      .map(([k, w]) => `${k}=${w}`)
      .join(',');
  return String(value);
}

/** Values to try for a parameter: its default and, for numbers, its bounds. */
function samples(spec: ParamSpec, fallback: unknown): unknown[] {
  if (spec.kind === 'weights') return [{ f1: 2, f2: 1 }];
  if (spec.kind === 'sizes') return [fallback, [2, 4, 6]];
  if (spec.kind === 'choice') return [...(spec.choices ?? [])];
  const values = [fallback];
  if (spec.min !== undefined) values.push(spec.min);
  if (spec.max !== undefined) values.push(spec.max);
  return values.filter((v) => v !== undefined);
}

async function help(...args: string[]): Promise<string> {
  let out = '';
  await runCli([...args, '--help'], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return out;
}

describe('the method registry', () => {
  it('has one descriptor per method code, registered under its own code', () => {
    expect(Object.keys(METHODS).sort()).toEqual([...METHOD_CODES].sort());
    for (const [code, m] of Object.entries(METHODS)) expect(m.code).toBe(code);
    expect(findMethod('coin-flip')).toBeUndefined();
    expect(() => normalizeParams('coin-flip', {}, ARMS)).toThrow(
      /unknown method "coin-flip"; expected one of: simple, permuted-block/,
    );
  });

  it('a parameter key means one thing across methods (the CLI flag and the form field are shared by key)', () => {
    const byKey = new Map<string, ParamSpec>();
    for (const m of ALL) {
      for (const spec of m.params) {
        const first = byKey.get(spec.key) ?? spec;
        byKey.set(spec.key, first);
        const shape = (s: ParamSpec) => ({
          key: s.key,
          kind: s.kind,
          label: s.label,
          cli: s.cli,
          form: s.form,
          min: s.min,
          max: s.max,
          choices: s.choices,
        });
        expect({ method: m.code, ...shape(spec) }).toEqual({ method: m.code, ...shape(first) });
      }
    }
  });
});

describe.each(ALL.map((m) => [m.code, m] as const))('method %s', (code, m) => {
  it('is labelled in English and French; its form fields and choices too; its description reads', () => {
    expectLabelled(m.label, `${code} label`);
    expect(m.summary.length).toBeGreaterThan(0);
    for (const field of formFields(code)) {
      expectLabelled(field.label, `${code}.${field.key} label`);
      for (const choice of field.choices)
        expectLabelled(`${field.label}.${choice}`, `${code}.${field.key}=${choice} label`);
    }
    if (m.generated) {
      const params = normalizeParams(code, {}, ARMS);
      for (const locale of ['en', 'fr'] as const) {
        const text = m.describe
          ? m.describe(params, (key, values) => translate(locale, key, values))
          : translate(locale, m.label);
        expect(text).not.toMatch(/statistician\.|\{|undefined|NaN/);
      }
    }
  });

  it('has defaults within its ranges: normalizing {} gives every non-optional parameter, each acceptable', () => {
    if (!m.generated) return;
    const params = normalizeParams(code, {}, ARMS);
    for (const spec of m.params) {
      if (spec.optional) {
        expect(params[spec.key]).toBeUndefined();
        continue;
      }
      expect(params[spec.key]).toBeDefined();
      // The default, given explicitly, normalizes to itself.
      expect(normalizeParams(code, { [spec.key]: params[spec.key] }, ARMS)).toEqual(params);
      if (spec.min !== undefined && typeof params[spec.key] === 'number')
        expect(params[spec.key] as number).toBeGreaterThanOrEqual(spec.min);
      if (spec.max !== undefined && typeof params[spec.key] === 'number')
        expect(params[spec.key] as number).toBeLessThanOrEqual(spec.max);
    }
    // Out of range is refused with the parameter's name.
    for (const spec of m.params.filter((s) => s.min !== undefined)) {
      expect(() => normalizeParams(code, { [spec.key]: spec.min! - 1 }, ARMS)).toThrow(
        new RegExp(`parameter ${spec.key}: expected`),
      );
    }
  });

  it('reads every CLI flag back: --flag text and a compare spec give the value the engine would', () => {
    if (!m.generated) return;
    const defaults = normalizeParams(code, {}, ARMS);
    for (const spec of m.params.filter((s) => s.cli)) {
      for (const value of samples(spec, defaults[spec.key])) {
        const text = asFlagText(spec, value);
        const fromFlag = paramsFromFlags({ [spec.key]: text });
        expect({ flag: flagName(spec.key), params: fromFlag }).toEqual({
          flag: flagName(spec.key),
          params: { [spec.key]: value },
        });
        if (spec.kind !== 'weights') {
          const fromSpec = designFromSpec(`${code}:${flagName(spec.key)}=${text}`);
          expect(fromSpec.method).toBe(code);
          expect(fromSpec.params).toEqual({ [spec.key]: value });
        }
      }
    }
  });

  it('is in the console form: one field per form parameter, initial values within range, read back as the engine expects', () => {
    if (!m.generated) return;
    const form = initialForm();
    const fields = formFields(code);
    expect(fields.map((f) => f.key)).toEqual(m.params.filter((s) => s.form).map((s) => s.key));
    for (const field of fields) {
      expect(form[field.key]).toBeDefined();
      expect(['sizes', 'choice', 'number', 'integer', 'probability']).toContain(field.kind);
    }
    const params = paramsFromForm(code, form);
    expect(Object.keys(params)).toEqual(fields.map((f) => f.key));
    // The initial form is a valid design (block sizes "2, 4" for two arms 1:1).
    expect(() => normalizeParams(code, params, ARMS)).not.toThrow();
  });

  it('is served end to end: scheme generation, simulation, exact figures as declared', () => {
    if (!m.generated) {
      expect(() => generateScheme(msctProtocol(), { method: code, seed: 'complete-seed-1', siteCodes: ['A'] })).toThrow(
        EngineError,
      );
      return;
    }
    expect(m.rule !== undefined || m.covariates !== undefined).toBe(true);
    const protocol = msctProtocol();
    const scheme = generateScheme(protocol, {
      method: code,
      seed: 'complete-seed-1',
      siteCodes: ['A', 'B'],
      live: m.live === 'optional' ? false : undefined,
    });
    expect(scheme.live).toBe(m.live === 'always');
    if (!scheme.live) for (const s of scheme.strata) expect(s.entries.length).toBeGreaterThan(0);
    if (m.live === 'optional')
      expect(
        generateScheme(protocol, { method: code, seed: 'complete-seed-1', siteCodes: ['A'], live: true }).live,
      ).toBe(true);
    if (m.live === 'never')
      expect(() =>
        generateScheme(protocol, { method: code, seed: 'complete-seed-1', siteCodes: ['A'], live: true }),
      ).toThrow(/cannot run live/);
    const factors = m.covariates ? [{ id: 'f1', levels: [{ code: 'a' }, { code: 'b' }] }] : undefined;
    const sim = simulate({ method: code, factors }, { n: 20, trials: 50, seed: 'complete' });
    expect(sim.n).toBe(20);
    expect(Object.values(sim.armProportions).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    if (typeof m.exact === 'function') {
      const exact = exactFigures({ method: code }, 20);
      expect(exact.probBalanced).toBeGreaterThan(0);
    } else {
      expect(() => exactFigures({ method: code, factors }, 20)).toThrow(EngineError);
    }
  });
});

describe('the CLI flags and the form come from the descriptors', () => {
  it('list generate and simulate --help list every parameter flag, naming the methods that use it', async () => {
    const [simulateHelp, listHelp] = [await help('simulate'), await help('list', 'generate')];
    for (const { spec, methods } of sharedParams((s) => s.cli !== undefined)) {
      for (const text of [simulateHelp, listHelp]) {
        expect(text).toContain(`--${flagName(spec.key)} ${spec.cli!.placeholder}`);
        expect(text.replace(/\s+/g, ' ')).toContain(`${methods.join(' / ')}:`);
      }
    }
    for (const m of GENERATED_METHODS) expect(simulateHelp.replace(/\s+/g, ' ')).toContain(m.code);
  });
});
