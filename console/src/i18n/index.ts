/**
 * The console's side of the one message catalogue (shared/i18n). `t` reads the reactive locale, so a template
 * that calls it re-renders when the user switches language. The locale comes from the signed-in user's profile
 * (set by the session store), else the last choice on this device, else the browser's language.
 */
import { ref } from 'vue';
import { resolveLocale, translate, type Locale, type MessageParams } from '../../../shared/i18n/catalogue.js';

const STORAGE_KEY = 'blindrand.locale';

function initialLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    /* storage disabled: fall through */
  }
  return resolveLocale(stored, typeof navigator === 'undefined' ? null : navigator.language);
}

export const locale = ref<Locale>(initialLocale());
applyDocumentLanguage(locale.value);

export function t(key: string, params?: MessageParams): string {
  return translate(locale.value, key, params);
}

export function setLocale(next: Locale): void {
  locale.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* not persisted: the profile still holds it */
  }
  applyDocumentLanguage(next);
}

/** <html lang> follows the language so that screen readers pronounce it correctly (WCAG 3.1.1). */
function applyDocumentLanguage(l: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}
