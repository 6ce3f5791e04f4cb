/**
 * The one allocation decision, over a storage that is either the database (production) or memory
 * (rehearsal on a throwaway copy): the next free entry of the stratum's list, or the dynamic
 * method's decision replayable from its record.
 */
import {
  allocateDynamic,
  type DynamicHistoryItem,
  type DynamicRecord,
  type Scheme,
} from '../../../../shared/engine/index.js';
import { DomainError } from '../../common/domain-error.js';

export interface AllocationSource {
  cursor(stratumKey: string): Promise<number | null>;
  entryAt(stratumKey: string, position: number): Promise<{ id: string; armCode: string; treatmentCode: string } | null>;
  advance(stratumKey: string, next: number): Promise<void>;
  history(): Promise<DynamicHistoryItem[]>;
}

export interface AllocationDecision {
  armCode: string;
  treatmentCode: string;
  listEntryId: string | null;
  position: number | null;
  dynamicRecord: DynamicRecord | null;
}

/**
 * `liveScheme` is the scheme with its seed when allocations are decided live (dynamic methods);
 * null for a list scheme, whose decisions are the list's entries.
 */
export async function decideAllocation(
  source: AllocationSource,
  liveScheme: Scheme | null,
  patient: { stratumKey: string; covariates: Record<string, string> },
): Promise<AllocationDecision> {
  if (liveScheme) {
    const decision = allocateDynamic(liveScheme, await source.history(), patient);
    return {
      armCode: decision.armCode,
      treatmentCode: decision.treatmentCode,
      listEntryId: null,
      position: null,
      dynamicRecord: decision.record,
    };
  }
  const position = await source.cursor(patient.stratumKey);
  if (position === null)
    throw new DomainError('VALIDATION_FAILED', `The scheme has no list for stratum ${patient.stratumKey}.`);
  const entry = await source.entryAt(patient.stratumKey, position);
  if (!entry) {
    throw new DomainError(
      'LIST_EXHAUSTED',
      `The randomization list for stratum ${patient.stratumKey} is used up (${position - 1} entries). Nothing was allocated; contact the trial statistician.`,
    );
  }
  await source.advance(patient.stratumKey, position + 1);
  return {
    armCode: entry.armCode,
    treatmentCode: entry.treatmentCode,
    listEntryId: entry.id,
    position,
    dynamicRecord: null,
  };
}
