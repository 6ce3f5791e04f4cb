/**
 * What one allocation method is, as data plus a few hooks: its code and label, its parameters
 * (defaults, ranges, how the console and the CLI ask for them), whether it can run live, how its
 * parameters are checked, its allocation rule, and which simulation kernel and exact model serve
 * it. The engine, the console's design form and the CLI flags are all built from these
 * descriptors (registry: ./index.ts), so adding a method is one descriptor file and its tests.
 */
import type { ExactModel } from '../exact-models.js';

export interface ArmWeight {
  code: string;
  ratio: number;
}

/**
 * Normalized parameters; only the fields of the chosen method are present. The named fields are
 * those of the built-in methods; a new method may add its own keys (declared in its descriptor).
 */
export interface MethodParams {
  /** permuted-block, truncated-binomial: allowed block sizes; more than one → drawn uniformly per block. */
  blockSizes?: number[];
  /** biased-coin, chen: probability toward the arm behind; minimization: probability of the minimizing arm(s). */
  p?: number;
  /** big-stick, chen, maximal: the imbalance bound b. */
  bound?: number;
  /** maximal: length N of each maximal-procedure sequence (defaults to the list length or n). */
  length?: number;
  /** urn UD(α, β). */
  alpha?: number;
  beta?: number;
  /** minimization: imbalance measure. */
  imbalance?: 'range' | 'variance';
  /** minimization: factor ids in order (defaults to the protocol's factors, plus site when stratified by site). */
  factors?: string[];
  /** minimization: weight per factor id (default 1). */
  weights?: Record<string, number>;
  [key: string]: unknown;
}

export interface SequenceState {
  /** Allocations per arm so far. */
  counts: number[];
  /** Allocations so far. */
  total: number;
  /** Block methods: allocations still to make per arm in the current block. */
  block: number[];
  /** Block methods: allocations left in the current block (0 → a new block starts). */
  blockLeft: number;
  /** Block methods: size of the current block. */
  blockSize: number;
}

/** A sequential rule as a method builds it (createSequenceRule adds the method code and ratios). */
export interface RuleBody {
  /** Whether the rule works in blocks (permuted-block, truncated-binomial, maximal). */
  readonly usesBlocks: boolean;
  /** Whether block sizes are drawn (more than one allowed size); draws come from their own stream. */
  readonly drawsBlockSizes: boolean;
  /** Start the next block if the current one is used up. */
  beginBlockIfNeeded(state: SequenceState, blockSizeDraw: () => number): void;
  /** P(next allocation → arm k) into `out`; the state is not changed. */
  probabilities(state: SequenceState, out: Float64Array): void;
}

export interface SequenceRule extends RuleBody {
  readonly method: string;
  readonly ratios: readonly number[];
}

/**
 * One parameter. `kind` fixes how it is read from JSON, from a CLI flag and from the console form:
 *   number / integer / probability — a number within [min, max] (integer: whole; even: even);
 *   sizes — a list of whole numbers (CLI "2,4,6", form "2, 4");
 *   choice — one of `choices`;
 *   weights — a mapping name → number ≥ 0 (CLI "a=2,b=1");
 *   names — a list of ids (no CLI flag, no form field).
 */
export interface ParamSpec {
  key: string;
  kind: 'number' | 'integer' | 'probability' | 'sizes' | 'choice' | 'weights' | 'names';
  /** Default when absent; a function of the arms when it depends on them. Absent and `optional` → the key stays absent. */
  default?: number | string | ((arms: ArmWeight[]) => unknown);
  optional?: boolean;
  min?: number;
  max?: number;
  /** integer: must also be even. */
  even?: boolean;
  choices?: readonly string[];
  /** i18n catalogue key of the label (console form); choices are labelled `${label}.${choice}`. */
  label?: string;
  /** CLI: the value's placeholder and the help text (English; the methods using the flag are prefixed). Absent → no flag. */
  cli?: { placeholder: string; help: string; aliases?: readonly string[] };
  /** Console form: the field's initial value and input step. Absent → not on the form. */
  form?: { initial: number | string; step?: number };
}

/** Translator the console passes in (shared/ has no i18n runtime state). */
type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A covariate-adaptive simulation kernel (simulation-minimization.ts), as the simulation loop uses it. */
interface CovariateKernel {
  /** Probability given to the minimizing arm(s) (the loop looks probabilities up in a ShiftedTable). */
  readonly p: number;
  /** Mark in `guess` the arm(s) minimizing the imbalance at the patient's levels; return how many. */
  minimizing(margin: Float64Array[], level: Int32Array, guess: Uint8Array): number;
}

export interface MethodDescriptor {
  code: string;
  /** i18n catalogue key of the method's name. */
  label: string;
  /** Short English description, for the CLI's help. */
  summary: string;
  params: readonly ParamSpec[];
  /** never: list only; optional: a list, or live on request; always: decides only at randomization time. */
  live: 'never' | 'optional' | 'always';
  /** False for a method whose lists are not generated (an imported list): no scheme generation, no simulation. */
  generated: boolean;
  /** Arm constraints, checked before the parameters (e.g. two arms 1:1); throws EngineError. */
  checkArms?(arms: ArmWeight[]): void;
  /** Checks across parameters after each was read (e.g. α and β not both 0); throws EngineError. */
  checkParams?(params: MethodParams): void;
  /** Complete the parameters from the protocol's factors (ids, site included when stratified by site) when a scheme is generated. */
  completeForProtocol?(params: MethodParams, protocol: { factorIds: string[] }): MethodParams;
  /** The sequential rule; absent for a covariate-adaptive method (minimization) or an imported list. */
  rule?(params: MethodParams, ratios: readonly number[], sequenceLength: number): RuleBody;
  /** Covariate-adaptive (minimization): allocation depends on the covariates of the whole study, not a sequence rule. */
  covariates?: {
    /** Complete the parameters from the simulated factors. */
    completeForSimulation(params: MethodParams, factorIds: string[]): MethodParams;
    /** The simulation kernel. */
    kernel(params: MethodParams, ratios: number[], levelCounts: number[]): CovariateKernel;
  };
  simulation: {
    /**
     * How the general simulation loop finds a patient's probabilities, each giving the rule's numbers:
     * constant (they never change), shifted (they depend only on which arms are behind: a ShiftedTable
     * with `p`), rule (call the rule).
     */
    probabilities: 'constant' | 'shifted' | 'rule';
    /** Whether the two-arm kernel (simulation-two-arm.ts) serves two arms without covariates. */
    twoArmKernel: boolean;
  };
  /** The exact model (two arms 1:1), or why there is none; absent → "not available for this method". */
  exact?: ((params: MethodParams, n: number) => ExactModel) | { refused: string };
  /** Short description of a design for tables and charts (default: the label). */
  describe?(params: MethodParams, t: Translate): string;
}
