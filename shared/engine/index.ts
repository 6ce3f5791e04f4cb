/**
 * The allocation engine's public API. Pure TypeScript: no Node-only imports, no clock, no
 * Math.random — randomness comes only from seeded streams, so it runs the same in Node and in a
 * browser Web Worker.
 */
export {
  ALGORITHM,
  LIBRARY_VERSION,
  SECRET_HEX,
  deriveStream,
  mixSeed,
  seedCommitment,
  sha256Hex,
  skipDraws,
  type RandomStream,
  type StreamPurpose,
} from './streams.js';
export { EngineError } from './errors.js';
export { normalizeParams, isMethodCode, type ArmWeight, type MethodParams } from './params.js';
export { METHOD_CODES, type MethodCode } from '../protocol/method-codes.js';
export {
  createSequenceRule,
  newSequenceState,
  commitAllocation,
  pickArm,
  isForced,
  ratioRange,
  type SequenceRule,
  type SequenceState,
} from './sequence-rules.js';
export {
  minimizationNext,
  minimizationProbabilities,
  minimizationCommit,
  newMinimizationState,
  type MinimizationConfig,
  type MinimizationState,
  type MinimizationStep,
} from './minimization.js';
export {
  generateScheme,
  generateArmSequence,
  isDynamicMethod,
  isDynamicScheme,
  protocolArms,
  LIVE_CAPABLE_METHODS,
} from './scheme.js';
export { schemeFingerprint, fingerprintPayload } from './fingerprint.js';
export {
  allocateDynamic,
  replayDynamic,
  minimizationConfig,
  STUDY_STREAM_KEY,
  type DynamicDecision,
  type ReplayMismatch,
} from './dynamic.js';
export { importList, listToCsv, parseListCsv, LIST_CSV_HEADER, type CsvListRow } from './list-csv.js';
export { drawTreatmentCode, drawUniqueTreatmentCode, matchesCodeFormat } from './treatment-codes.js';
export type {
  Scheme,
  SchemeEntry,
  SchemeStratum,
  DynamicRecord,
  DynamicHistoryItem,
  DynamicPatient,
  GenerateOptions,
} from './types.js';
export { simulate, checkSimulationOptions } from './simulate.js';
export { prepareDesign, runChunk, chunkCount, stratumLabel, type PreparedDesign } from './simulation-core.js';
export { summarizeChunks } from './simulation-summary.js';
export { MinimizationKernel } from './simulation-minimization.js';
export {
  CHUNK_TRIALS,
  type SimulationDesign,
  type SimulationOptions,
  type SimulationResult,
  type SimulationFactor,
  type ChunkResult,
  type GroupSums,
  type GroupSummary,
  type Quantiles,
} from './simulation-types.js';
export { exactFigures, checkExactDesign, EXACT_MAX_N, type ExactResult } from './exact.js';
