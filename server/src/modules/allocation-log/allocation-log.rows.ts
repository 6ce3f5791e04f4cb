import type { AllocationLogEntry } from '../../../../shared/contract.js';
import { toCsv } from '../../common/csv.js';

/** The allocation log's rows, readable from any SQL handle (the server's, or the CLI's offline one): the contract's entries. */
export type AllocationLogRow = AllocationLogEntry;

/** One study's allocations (the log never mixes studies: numbers are per study). */
export async function readAllocationLog(
  all: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  studyId: number,
  withArms: boolean,
): Promise<AllocationLogRow[]> {
  const rows = await all(
    `SELECT a.randomization_number, a.participant_id, p.screening_number, p.site_code, a.stratum_key, a.treatment_code, a.randomized_at, a.randomized_by, p.randomized_in_error, a.arm_code, e.number AS envelope_number, e.opened_at AS envelope_opened_at,
            s.printed_name AS signed_by, s.meaning AS signature_meaning, s.signed_at
     FROM allocations a JOIN participants p ON p.id = a.participant_id LEFT JOIN envelopes e ON e.allocation_id = a.id
     LEFT JOIN signatures s ON s.id = a.signature_id WHERE a.study_id = ? ORDER BY a.randomization_number`,
    [studyId],
  );
  return rows.map((r) => ({
    randomizationNumber: Number(r.randomization_number),
    participantId: String(r.participant_id),
    screeningNumber: String(r.screening_number),
    siteCode: String(r.site_code),
    stratum: String(r.stratum_key),
    treatmentCode: String(r.treatment_code),
    randomizedAt: String(r.randomized_at),
    randomizedBy: String(r.randomized_by),
    randomizedInError: r.randomized_in_error === true || r.randomized_in_error === 1,
    viaEnvelope: r.envelope_number === null || r.envelope_number === undefined ? null : Number(r.envelope_number),
    envelopeOpenedAt:
      r.envelope_opened_at === null || r.envelope_opened_at === undefined ? null : String(r.envelope_opened_at),
    ...(withArms ? { arm: String(r.arm_code) } : {}),
    signedBy: orNull(r.signed_by),
    signatureMeaning: orNull(r.signature_meaning),
    signedAt: orNull(r.signed_at),
  }));
}

const orNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Appended after every other column (and after `arm`), so existing readers of the export keep their columns. */
export const SIGNATURE_COLUMNS: Array<keyof AllocationLogRow & string> = ['signedBy', 'signatureMeaning', 'signedAt'];

export const LOG_COLUMNS: Array<keyof AllocationLogRow & string> = [
  'randomizationNumber',
  'participantId',
  'screeningNumber',
  'siteCode',
  'stratum',
  'treatmentCode',
  'randomizedAt',
  'randomizedBy',
  'randomizedInError',
  'viaEnvelope',
  'envelopeOpenedAt',
];

/** The log as CSV: the API's export, and the study archive's copy (the same bytes). */
export function allocationLogCsv(rows: AllocationLogRow[], withArms: boolean): string {
  return toCsv(rows, [...LOG_COLUMNS, ...(withArms ? ['arm' as const] : []), ...SIGNATURE_COLUMNS]);
}
