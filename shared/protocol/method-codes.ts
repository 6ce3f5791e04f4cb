/** The allocation methods the engine offers (ALGORITHMS.md); the protocol may name one as its default. */
export const METHOD_CODES = [
  'simple',
  'permuted-block',
  'truncated-binomial',
  'biased-coin',
  'big-stick',
  'chen',
  'maximal',
  'urn',
  'generalized-biased-coin',
  'minimization',
  'import',
] as const;

export type MethodCode = (typeof METHOD_CODES)[number];
