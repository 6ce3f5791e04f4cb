/**
 * The console's design form, from the descriptors: one field per form parameter (shared by key
 * between methods, so switching method keeps what was typed), and the method's parameters read
 * back from the form. Pure, so the unit tests check it (console/src/components/statistician/).
 */
import { findMethod, sharedParams } from './index.js';
import type { ParamSpec } from './types.js';

/** One input of the design form. */
export interface FormField {
  key: string;
  kind: ParamSpec['kind'];
  /** i18n key of the label; a choice's options are labelled `${label}.${choice}`. */
  label: string;
  min?: number;
  max?: number;
  step?: number;
  choices: readonly string[];
}

/** The form's values by parameter key: text for a list of sizes, a number or a choice otherwise. */
export type ParamForm = Record<string, string | number>;

const toField = (spec: ParamSpec): FormField => ({
  key: spec.key,
  kind: spec.kind,
  label: spec.label ?? spec.key,
  min: spec.min,
  max: spec.max,
  step: spec.form?.step,
  choices: spec.choices ?? [],
});

/** The initial form: every form parameter of every method. */
export function initialForm(): ParamForm {
  return Object.fromEntries(
    sharedParams((spec) => spec.form !== undefined).map(({ spec }) => [spec.key, spec.form!.initial]),
  );
}

/** The fields the method's form shows, in its descriptor's order. */
export function formFields(method: string): FormField[] {
  return (findMethod(method)?.params ?? []).filter((spec) => spec.form !== undefined).map(toField);
}

/** The method's parameters from the form, only those the method uses (block sizes "2, 4" → [2, 4]). */
export function paramsFromForm(method: string, form: ParamForm): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of formFields(method)) {
    const value = form[field.key];
    if (field.kind === 'sizes')
      params[field.key] = String(value)
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isFinite(n) && n > 0);
    else params[field.key] = value;
  }
  return params;
}
