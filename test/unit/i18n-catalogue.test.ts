import { LOCALES, placeholders, resolveLocale, translate } from '../../shared/i18n/catalogue.js';
import { NAMESPACES } from '../../shared/i18n/messages/index.js';

describe('message catalogue', () => {
  it('has the same keys in every language, in every namespace', () => {
    const gaps: string[] = [];
    for (const [name, ns] of Object.entries(NAMESPACES)) {
      const en = Object.keys(ns.en);
      for (const locale of LOCALES) {
        const keys = new Set(Object.keys(ns[locale]));
        for (const k of en) if (!keys.has(k)) gaps.push(`${locale}: ${name}.${k} missing`);
        for (const k of keys) if (!(k in ns.en)) gaps.push(`${locale}: ${name}.${k} not in English`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('uses the same placeholders in every language, and no empty sentence', () => {
    const bad: string[] = [];
    for (const [name, ns] of Object.entries(NAMESPACES)) {
      for (const [k, en] of Object.entries(ns.en)) {
        for (const locale of LOCALES) {
          const text = ns[locale][k];
          if (text === undefined) continue;
          if (text.trim() === '') bad.push(`${locale}: ${name}.${k} is empty`);
          if (placeholders(text).join() !== placeholders(en).join())
            bad.push(`${locale}: ${name}.${k} placeholders differ`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('interpolates, picks plural forms per language and resolves locales', () => {
    expect(resolveLocale('fr-FR')).toBe('fr');
    expect(resolveLocale(undefined, 'de', 'en-GB')).toBe('en');
    expect(resolveLocale('xx')).toBe('en');
    expect(translate('fr', 'no.such.key')).toBe('no.such.key');
    expect(translate('fr', 'common.records', { count: 0 })).toBe('0 enregistrement');
    expect(translate('en', 'common.records', { count: 0 })).toBe('0 records');
    expect(translate('fr', 'common.records', { count: 1200 })).toBe(
      `${new Intl.NumberFormat('fr').format(1200)} enregistrements`,
    );
    expect(translate('fr', 'common.save')).toBe('Enregistrer');
  });
});
