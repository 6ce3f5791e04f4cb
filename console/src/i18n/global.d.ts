// A module (the export below) so that this augments vue's types instead of replacing them.
export {};

declare module 'vue' {
  interface ComponentCustomProperties {
    /** The message catalogue (console/src/i18n): `{{ $t('common.save') }}`. */
    $t: typeof import('./index.js').t;
  }
}
