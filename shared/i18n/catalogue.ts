/**
 * The one message catalogue of blindrand: console strings, error sentences, notifications and e-mails,
 * in English and French. The console (console/src/i18n) and the server (notifications, e-mails) both read
 * it through translate(), so a sentence exists once per language and a missing translation is caught by
 * the completeness test (test/unit/i18n-catalogue.test.ts), not by a user at 2 a.m.
 *
 * Keys are "namespace.key". Each namespace lives in its own file under messages/ with both languages side by
 * side, so that one area's strings can be edited without touching another's.
 */
import { NAMESPACES } from './messages/index.js';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Parameters interpolated into "{name}" placeholders. `count` also selects a plural form (key_one / key_other). */
export type MessageParams = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The first candidate that is a supported locale ("fr-FR" counts as "fr"), else English. */
export function resolveLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const c of candidates) {
    if (!c) continue;
    const base = c.toLowerCase().split(/[-_]/)[0];
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  en: new Intl.PluralRules('en'),
  fr: new Intl.PluralRules('fr'),
};

function lookup(locale: Locale, key: string): string | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const ns = NAMESPACES[key.slice(0, dot)];
  return ns?.[locale][key.slice(dot + 1)];
}

/** True when the key exists (in English, the reference language). */
export function hasMessage(key: string): boolean {
  return lookup('en', key) !== undefined || lookup('en', `${key}_other`) !== undefined;
}

/**
 * The sentence for `key` in `locale`, placeholders filled. With a numeric `count`, the plural form
 * `key_one`/`key_other` (French: 0 and 1 are "one") is used when it exists. A key missing in French falls back
 * to English (the completeness test forbids that in the shipped catalogue); an unknown key returns itself so
 * that the gap is visible rather than blank.
 */
export function translate(locale: Locale, key: string, params: MessageParams = {}): string {
  let template: string | undefined;
  if (typeof params.count === 'number') {
    const form = pluralRules[locale].select(params.count) === 'one' ? 'one' : 'other';
    template = lookup(locale, `${key}_${form}`) ?? lookup(DEFAULT_LOCALE, `${key}_${form}`);
  }
  template ??= lookup(locale, key) ?? lookup(DEFAULT_LOCALE, key);
  if (template === undefined) return key;
  return interpolate(template, params, locale);
}

/**
 * One number format per locale, made on first use: a formatter is stateless, and making one costs far more than
 * formatting (it was most of a notification's cost on the server, issue 14).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format;
}

function interpolate(template: string, params: MessageParams, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? numberFormat(locale).format(v) : v;
  });
}

/** The placeholder names of a template, for the completeness test (both languages must use the same ones). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}
