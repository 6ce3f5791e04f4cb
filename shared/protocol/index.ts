/** The protocol file: types, parsing with located errors, eligibility and strata. */
export * from './types.js';
export { parseProtocol, parseProtocolOrThrow, formatProtocolError, DEFAULT_LIST_LENGTH } from './parse.js';
export { evaluateEligibility, type EligibilityFailure, type EligibilityResult } from './eligibility.js';
export { deriveStratum, allStrata, stratumKey, parseStratumKey, stratumFactorIds, StratumDerivationError, UNSTRATIFIED_KEY, type Stratum } from './strata.js';
export { readAnswer, applyTest, questionById } from './answers.js';
export { METHOD_CODES, type MethodCode } from './method-codes.js';
export { PROTOCOL_SCHEMA } from './schema.js';
export { neutralTextVocabulary, findArmWord, findArmWords, redactArmWords, type NeutralTextVocabulary, type ArmWordHit } from './neutral-text.js';
export { parsePeriodTiming, dueWindow, DEFAULT_WINDOW_DAYS, type DueWindow } from './period-timing.js';
