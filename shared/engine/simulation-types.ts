/** Shapes of a design simulation: what is simulated, the raw per-chunk output and the summary. */
import type { MethodCode } from '../protocol/method-codes.js';
import type { ArmWeight, MethodParams } from './params.js';

/** A covariate of simulated patients: its levels and how often each occurs (uniform by default). */
export interface SimulationFactor {
  id: string;
  levels: Array<{ code: string; prob?: number }>;
}

export interface SimulationDesign {
  method: MethodCode | string;
  params?: Record<string, unknown>;
  /** Default: two arms A and B, 1:1. */
  arms?: ArmWeight[];
  /** Patient covariates: minimization factors, or the strata of a stratified list design. */
  factors?: SimulationFactor[];
  /** Whether list methods keep one sequence per stratum (default: true when factors are given). */
  stratify?: boolean;
}

export interface SimulationOptions {
  /** Patients per simulated trial. */
  n: number;
  /** Number of simulated trials. */
  trials: number;
  /** Master seed of the simulation (a string; the same seed gives the same figures). */
  seed: string;
}

/** Simulated trials are processed in chunks of this many, each from its own derived stream, so the figures do not depend on how chunks are spread over workers. */
export const CHUNK_TRIALS = 1000;

/** Sums over trials for one stratum or factor level (merged by adding). */
export interface GroupSums {
  trialsWithPatients: number;
  sumSize: number;
  sumAbsImbalance: number;
  balanced: number;
}

/** The raw output of one chunk: per-trial figures plus sums. Plain typed arrays, so it can cross a worker boundary. */
export interface ChunkResult {
  chunk: number;
  trials: number;
  absFinal: Float64Array;
  maxAbs: Float64Array;
  balanced: Uint8Array;
  correct: Float64Array;
  forced: Float64Array;
  /** Total allocations per arm over the chunk's trials. */
  armTotals: Float64Array;
  strata: Record<string, GroupSums>;
  margins: Record<string, GroupSums>;
}

export interface Quantiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface GroupSummary {
  meanSize: number;
  meanAbsImbalance: number;
  probBalanced: number;
}

export interface SimulationResult {
  method: string;
  params: MethodParams;
  arms: ArmWeight[];
  n: number;
  trials: number;
  /** E|D_n|: mean final absolute imbalance (range of N_k − n·r_k/R; |N_A − N_B| for two arms 1:1). */
  meanAbsImbalance: number;
  absImbalanceQuantiles: Quantiles;
  /** Mean over trials of max_i |D_i|. */
  meanMaxAbsImbalance: number;
  maxAbsImbalanceQuantiles: Quantiles;
  /** P(D_n = 0). */
  probBalanced: number;
  /** Proportion of correct guesses, convergence strategy (ties and the first patient score 1/number of tied arms). */
  correctGuessRate: number;
  /** Proportion of allocations that were deterministic. */
  forcedRate: number;
  /** Mean proportion of patients per arm. */
  armProportions: Record<string, number>;
  /** Monte Carlo standard errors of the means above. */
  standardErrors: { meanAbsImbalance: number; probBalanced: number; correctGuessRate: number; forcedRate: number };
  /** Wall-clock seconds, filled by the caller (the pure core has no clock); null when not measured. */
  seconds: number | null;
  byStratum?: Array<GroupSummary & { key: string }>;
  byFactorMargin?: Array<GroupSummary & { factor: string; level: string }>;
}
