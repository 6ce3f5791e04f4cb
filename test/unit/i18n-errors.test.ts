/**
 * Error sentences and language resolution (issue 15 item 10): every API error code has a sentence in both
 * languages, frequent server messages map to their own translated variant, one sentence is shown (never the
 * code's sentence and the server's message together), DEFAULT_LOCALE is validated, and a person's language
 * falls back from their profile to their site to the instance default.
 */
import { describe, expect, it } from '@jest/globals';
import { ERROR_STATUS } from '../../shared/errors.js';
import { hasMessage, placeholders, translate } from '../../shared/i18n/catalogue.js';
import { codeKey, sentenceKey, VARIANTS } from '../../console/src/api/error-sentences.js';
import { ConfigError, loadConfig } from '../../server/src/config/config.js';
import { effectiveLocale } from '../../server/src/modules/accounts/locale.js';

describe("error sentences in the reader's language", () => {
  it('[I18N-006] every error code of the contract has a sentence in English and French, and so has every variant, with its parameters', () => {
    const missing = Object.keys(ERROR_STATUS).filter((code) => codeKey(code) === null);
    expect(missing).toEqual([]);
    for (const v of VARIANTS) {
      const key = `errors.${v.code}.${v.name}`;
      expect({ key, exists: hasMessage(key) }).toEqual({ key, exists: true });
      const groups = [...v.pattern.source.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]).sort();
      expect({ key, params: placeholders(translate('en', key)) }).toEqual({ key, params: groups });
      expect(translate('fr', key)).not.toBe(translate('en', key));
    }
  });

  it("[I18N-006] one sentence per error: a known variant, else in English the server's own sentence, else the code's", () => {
    const wrongPassword = 'The username or password is not correct.';
    expect(sentenceKey('UNAUTHENTICATED', wrongPassword, 'fr')).toEqual({
      key: 'errors.UNAUTHENTICATED.credentials',
      params: {},
    });
    expect(translate('fr', 'errors.UNAUTHENTICATED.credentials')).toBe(
      "L'identifiant ou le mot de passe est incorrect.",
    );
    // Not "Your session has ended… The username or password is not correct." any more:
    expect(translate('en', sentenceKey('UNAUTHENTICATED', wrongPassword, 'en')!.key)).toBe(wrongPassword);

    const dup = sentenceKey('DUPLICATE', 'Screening number A-001 is already registered at site A.', 'fr')!;
    expect(translate('fr', dup.key, dup.params)).toBe('Le numéro de sélection A-001 est déjà enregistré au centre A.');

    expect(
      sentenceKey('VALIDATION_FAILED', 'displayName must be shorter than or equal to 200 characters', 'en'),
    ).toBeNull();
    expect(
      sentenceKey('VALIDATION_FAILED', 'displayName must be shorter than or equal to 200 characters', 'fr'),
    ).toEqual({ key: 'errors.VALIDATION_FAILED', params: {} });
    expect(sentenceKey('INTERNAL_ERROR', 'boom', 'en')).toEqual({ key: 'errors.INTERNAL_ERROR', params: {} });
    expect(sentenceKey('NETWORK', '', 'fr')).toEqual({ key: 'errors.NETWORK', params: {} });
  });
});

describe('language of a person', () => {
  it('[I18N-007] DEFAULT_LOCALE is en or fr (default en); anything else stops the start with one line', () => {
    expect(loadConfig({}).defaultLocale).toBe('en');
    expect(loadConfig({ DEFAULT_LOCALE: 'FR' }).defaultLocale).toBe('fr');
    expect(() => loadConfig({ DEFAULT_LOCALE: 'de' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEFAULT_LOCALE: 'de' })).toThrow('DEFAULT_LOCALE must be one of en, fr, got "de"');
  });

  it("[I18N-007] the person's own choice, else their first site (in code order) that names one, else the instance default", () => {
    const sites: Record<string, string | null> = { A: null, B: 'fr', C: 'en' };
    const site = (code: string) => sites[code];
    expect(effectiveLocale({ locale: 'en', siteCodes: ['B'] }, site, 'fr')).toBe('en');
    expect(effectiveLocale({ locale: null, siteCodes: ['C', 'B', 'A'] }, site, 'en')).toBe('fr');
    expect(effectiveLocale({ locale: null, siteCodes: ['A'] }, site, 'fr')).toBe('fr');
    expect(effectiveLocale({ locale: null, siteCodes: [] }, site, 'en')).toBe('en');
  });
});
