/** One namespace of the catalogue: the same keys in every language. */
export interface Namespace {
  en: Record<string, string>;
  fr: Record<string, string>;
}
