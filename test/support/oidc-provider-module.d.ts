/** oidc-provider 9 ships no type declarations; the tests use its documented constructor, use() and callback(). */
declare module 'oidc-provider' {
  const Provider: any;
  export default Provider;
}
