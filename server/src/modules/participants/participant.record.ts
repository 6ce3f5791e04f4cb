import type { ParticipantStatus } from '../../../../shared/contract.js';
import type { EligibilityFailure } from '../../../../shared/protocol/index.js';
import { asBool, asJson, asStr, asStrOrNull } from '../../database/sql.js';

export interface ParticipantRecord {
  id: string;
  siteCode: string;
  screeningNumber: string;
  status: ParticipantStatus;
  answers: Record<string, unknown>;
  eligibilityFailures: EligibilityFailure[];
  stratumKey: string | null;
  stratumLevels: Record<string, string> | null;
  randomizedInError: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AllocationRecord {
  id: string;
  participantId: string;
  schemeId: string;
  listEntryId: string | null;
  stratumKey: string;
  randomizationNumber: number;
  armCode: string;
  treatmentCode: string;
  dynamicRecord: unknown;
  covariates: Record<string, string>;
  randomizedAt: string;
  randomizedBy: string;
  signatureId: string;
}

export function toParticipantRecord(r: Record<string, unknown>): ParticipantRecord {
  return {
    id: asStr(r.id),
    siteCode: asStr(r.site_code),
    screeningNumber: asStr(r.screening_number),
    status: asStr(r.status) as ParticipantStatus,
    answers: asJson(r.answers, {}),
    eligibilityFailures: asJson(r.eligibility_failures, []),
    stratumKey: asStrOrNull(r.stratum_key),
    stratumLevels: asJson(r.stratum_levels, null),
    randomizedInError: asBool(r.randomized_in_error),
    createdBy: asStr(r.created_by),
    createdAt: asStr(r.created_at),
    updatedAt: asStr(r.updated_at),
  };
}

/** Reads an allocation from columns prefixed `a_` (joined queries) or plain (allocation rows). */
export function toAllocationRecord(r: Record<string, unknown>, prefix = ''): AllocationRecord | null {
  const v = (k: string) => r[prefix + k];
  if (v('id') === null || v('id') === undefined) return null;
  return {
    id: asStr(v('id')),
    participantId: asStr(v('participant_id')),
    schemeId: asStr(v('scheme_id')),
    listEntryId: asStrOrNull(v('list_entry_id')),
    stratumKey: asStr(v('stratum_key')),
    randomizationNumber: Number(v('randomization_number')),
    armCode: asStr(v('arm_code')),
    treatmentCode: asStr(v('treatment_code')),
    dynamicRecord: asJson(v('dynamic_record'), null),
    covariates: asJson(v('covariates'), {}),
    randomizedAt: asStr(v('randomized_at')),
    randomizedBy: asStr(v('randomized_by')),
    signatureId: asStr(v('signature_id')),
  };
}
