/** The allocation scheme: what was generated (or imported), with enough to regenerate and verify it. */
import type { MethodCode } from '../protocol/method-codes.js';
import type { TreatmentCodeFormat } from '../protocol/types.js';
import type { ArmWeight, MethodParams } from './params.js';

export interface SchemeEntry {
  /** 1-based position within the stratum's list. */
  position: number;
  armCode: string;
  treatmentCode: string;
}

export interface SchemeStratum {
  key: string;
  levels: Record<string, string>;
  /** The stratum's list; empty for a live (dynamic) scheme. */
  entries: SchemeEntry[];
}

export interface Scheme {
  studyCode: string;
  method: MethodCode;
  params: MethodParams;
  /** The generator, e.g. `seedrandom-3.0.5/xor4096`; `imported` for an uploaded list. */
  algorithm: string;
  libraryVersion: string;
  /** SHA-256 commitment to the master seed (public); absent for an imported list. */
  seedCommitment?: string;
  /**
   * The master seed. SECRET: whoever holds it can regenerate the list. Needed for live
   * allocation; never part of the fingerprint, never shown to blinded roles.
   */
  seed?: string;
  /**
   * 256 random bits (hex) hashed into the fingerprint and the seed commitment. SECRET until
   * end-of-study unblinding, like the seed; absent only in schemes stored before salting.
   */
  salt?: string;
  arms: ArmWeight[];
  /** True when allocations are decided at randomization time by allocateDynamic. */
  live: boolean;
  treatmentCodeFormat: TreatmentCodeFormat;
  strata: SchemeStratum[];
}

/** What a dynamic decision recorded: enough to replay it exactly. */
export interface DynamicRecord {
  method: MethodCode;
  /** The stream the draw came from (stratum key, or `(study)` for minimization). */
  streamKey: string;
  /** Index of the draw within that stream. */
  drawIndex: number;
  /** The uniform draw in [0, 1). */
  draw: number;
  /** P(arm) for each arm code at the moment of the decision. */
  probabilities: Record<string, number>;
  /** Minimization: total weighted imbalance if the patient went to each arm. */
  scores?: Record<string, number>;
  /** The patient's covariates as used for the decision. */
  covariates: Record<string, string>;
  /** Index of the treatment-code draw in the code stream. */
  codeDrawIndex: number;
}

export interface DynamicHistoryItem {
  stratumKey: string;
  covariates: Record<string, string>;
  armCode: string;
  /** When given, new codes avoid these (uniqueness across the study is then guaranteed). */
  treatmentCode?: string;
}

export interface DynamicPatient {
  stratumKey: string;
  covariates: Record<string, string>;
}

export interface GenerateOptions {
  method: MethodCode | string;
  params?: Record<string, unknown>;
  seed: string;
  /** The scheme's secret salt (64 hex digits); absent = the legacy unsalted commitments. */
  salt?: string;
  siteCodes: string[];
  /** Entries per stratum (default: the protocol's listLengthPerStratum); block methods round up to whole blocks. */
  listLength?: number;
  /** Decide at randomization time instead of pre-generating (minimization always is). */
  live?: boolean;
}
