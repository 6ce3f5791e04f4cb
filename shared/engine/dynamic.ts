/**
 * Live allocation: the decision for the next patient is a pure function of the scheme, the
 * history of earlier decisions and the patient. The draw is addressed by its index (the number
 * of earlier decisions in the same stream), so the same history always gives the same decision
 * and any decision can be replayed and checked later.
 */
import { parseStratumKey } from '../protocol/strata.js';
import { EngineError } from './errors.js';
import { minimizationCommit, minimizationNext, newMinimizationState, type MinimizationConfig } from './minimization.js';
import { methodDescriptor } from './methods/index.js';
import { commitAllocation, createSequenceRule, newSequenceState, pickArm } from './sequence-rules.js';
import { deriveStream, skipDraws } from './streams.js';
import { drawTreatmentCode } from './treatment-codes.js';
import type { DynamicHistoryItem, DynamicPatient, DynamicRecord, Scheme } from './types.js';

/** Stream key of study-wide streams (minimization draws, live treatment codes). */
export const STUDY_STREAM_KEY = '(study)';

export interface DynamicDecision {
  armCode: string;
  treatmentCode: string;
  record: DynamicRecord;
}

function armIndex(scheme: Scheme, code: string, where: string): number {
  const i = scheme.arms.findIndex((a) => a.code === code);
  if (i < 0) throw new EngineError(`${where}: unknown arm "${code}"`);
  return i;
}

/** The minimization configuration recorded in a scheme. */
export function minimizationConfig(scheme: Scheme): MinimizationConfig {
  const factors = scheme.params.factors ?? [];
  return {
    ratios: scheme.arms.map((a) => a.ratio),
    factors,
    weights: factors.map((f) => scheme.params.weights?.[f] ?? 1),
    p: scheme.params.p ?? 0.8,
    imbalance: scheme.params.imbalance ?? 'range',
  };
}

function covariatesOf(item: { stratumKey: string; covariates: Record<string, string> }): Record<string, string> {
  return { ...parseStratumKey(item.stratumKey), ...item.covariates };
}

function nextTreatmentCode(
  scheme: Scheme,
  seed: string,
  history: DynamicHistoryItem[],
): { code: string; index: number } {
  const used = new Set(history.map((h) => h.treatmentCode).filter((c): c is string => typeof c === 'string'));
  const stream = skipDraws(
    deriveStream(seed, scheme.studyCode, STUDY_STREAM_KEY, 'treatment-codes'),
    history.length * scheme.treatmentCodeFormat.length,
  );
  for (let index = history.length; ; index++) {
    const code = drawTreatmentCode(stream, scheme.treatmentCodeFormat);
    if (!used.has(code)) return { code, index };
  }
}

/**
 * Decide the arm of the next patient of a live scheme.
 * @param history earlier decisions of the whole study, in order (with their treatment codes when known)
 * @param patient the stratum key and covariates (stratum levels are used when covariates omit them)
 */
export function allocateDynamic(
  scheme: Scheme,
  history: DynamicHistoryItem[],
  patient: DynamicPatient,
): DynamicDecision {
  if (!scheme.live)
    throw new EngineError('this scheme is a pre-generated list; take the next entry of the stratum instead');
  if (!scheme.seed) throw new EngineError('the scheme carries no seed; live allocation is impossible');
  if (!scheme.strata.some((s) => s.key === patient.stratumKey))
    throw new EngineError(`unknown stratum "${patient.stratumKey}"`);
  const covariates = covariatesOf(patient);
  const armCount = scheme.arms.length;
  let streamKey: string;
  let drawIndex: number;
  let probabilities: number[];
  let scores: number[] | undefined;
  let draw: number;
  let arm: number;
  if (methodDescriptor(scheme.method).covariates) {
    const config = minimizationConfig(scheme);
    const state = newMinimizationState(config);
    history.forEach((h, i) =>
      minimizationCommit(config, state, covariatesOf(h), armIndex(scheme, h.armCode, `history[${i}]`)),
    );
    streamKey = STUDY_STREAM_KEY;
    drawIndex = history.length;
    draw = skipDraws(deriveStream(scheme.seed, scheme.studyCode, streamKey, 'allocation'), drawIndex).double();
    const step = minimizationNext(config, state, covariates, draw);
    ({ arm, probabilities, scores } = step);
  } else {
    const rule = createSequenceRule(
      scheme.method,
      scheme.params,
      scheme.arms.map((a) => a.ratio),
    );
    const state = newSequenceState(armCount);
    history.forEach((h, i) => {
      if (h.stratumKey === patient.stratumKey)
        commitAllocation(state, armIndex(scheme, h.armCode, `history[${i}]`), false);
    });
    streamKey = patient.stratumKey;
    drawIndex = state.total;
    draw = skipDraws(deriveStream(scheme.seed, scheme.studyCode, streamKey, 'allocation'), drawIndex).double();
    const probs = new Float64Array(armCount);
    rule.probabilities(state, probs);
    probabilities = Array.from(probs);
    arm = pickArm(probs, draw);
  }
  const code = nextTreatmentCode(scheme, scheme.seed, history);
  const byArm = (values: number[]) => Object.fromEntries(scheme.arms.map((a, k) => [a.code, values[k]]));
  return {
    armCode: scheme.arms[arm].code,
    treatmentCode: code.code,
    record: {
      method: scheme.method,
      streamKey,
      drawIndex,
      draw,
      probabilities: byArm(probabilities),
      ...(scores ? { scores: byArm(scores) } : {}),
      covariates,
      codeDrawIndex: code.index,
    },
  };
}

export interface ReplayMismatch {
  index: number;
  expected: string;
  actual: string;
}

/**
 * Replay recorded decisions in order and list those whose arm (or recorded draw) differs from
 * what the scheme gives. An empty result means every allocation is reproduced.
 */
export function replayDynamic(
  scheme: Scheme,
  decisions: Array<{ patient: DynamicPatient; armCode: string; treatmentCode?: string; record?: DynamicRecord }>,
): ReplayMismatch[] {
  const mismatches: ReplayMismatch[] = [];
  const history: DynamicHistoryItem[] = [];
  decisions.forEach((d, index) => {
    const expected = allocateDynamic(scheme, history, d.patient);
    if (expected.armCode !== d.armCode) mismatches.push({ index, expected: expected.armCode, actual: d.armCode });
    else if (d.record && (d.record.drawIndex !== expected.record.drawIndex || d.record.draw !== expected.record.draw)) {
      mismatches.push({
        index,
        expected: `draw #${expected.record.drawIndex} = ${expected.record.draw}`,
        actual: `draw #${d.record.drawIndex} = ${d.record.draw}`,
      });
    }
    history.push({
      stratumKey: d.patient.stratumKey,
      covariates: d.patient.covariates,
      armCode: d.armCode,
      treatmentCode: d.treatmentCode,
    });
  });
  return mismatches;
}
