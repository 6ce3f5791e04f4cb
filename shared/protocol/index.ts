/** The protocol file: types, parsing with located errors, eligibility and strata. */
export * from './types.js';
export { parseProtocol, parseProtocolOrThrow, formatProtocolError } from './parse.js';
export { evaluateEligibility, type EligibilityFailure } from './eligibility.js';
export {
  deriveStratum,
  allStrata,
  parseStratumKey,
  stratumFactorIds,
  StratumDerivationError,
  type Stratum,
} from './strata.js';
export { readAnswer, applyTest } from './answers.js';
export { METHOD_CODES } from './method-codes.js';
export {
  neutralTextVocabulary,
  findArmWord,
  findArmWords,
  redactArmWords,
  type NeutralTextVocabulary,
} from './neutral-text.js';
export { parsePeriodTiming, dueWindow } from './period-timing.js';
