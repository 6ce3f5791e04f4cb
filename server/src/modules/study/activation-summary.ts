/**
 * What must be seen before the irreversible steps of the study: activation (the warnings of the
 * draft's latest rehearsal, which then need an explicit override reason) and lock (open unblinding
 * requests and undispensed preparations). Pure reads; the summaries carry no arm (a blinded trial
 * statistician signs the lock): exhaustion depends on list lengths, and every randomized patient
 * has one preparation task per period whatever the arm.
 */
import type { Protocol } from '../../../../shared/protocol/index.js';
import { dueWindow } from '../../../../shared/protocol/index.js';
import { DomainError } from '../../common/domain-error.js';
import type { Sql } from '../../database/sql.js';
import { UnblindingRepository } from '../unblinding/unblinding.repository.js';
import { RehearsalsRepository, type RehearsalWarning } from './rehearsals.repository.js';
import { SchemesRepository } from '../protocol/schemes.repository.js';

/** The warnings of the latest rehearsal of the draft about to be activated (none without a draft or a rehearsal). */
export async function activationWarnings(sql: Sql, studyId: number): Promise<RehearsalWarning[]> {
  const scheme = await SchemesRepository.latest(sql, studyId);
  if (!scheme || scheme.state !== 'draft') return [];
  return (await RehearsalsRepository.latestFor(sql, studyId, scheme.id))?.warnings ?? [];
}

export function requireOverride(warnings: RehearsalWarning[], override: string | null): void {
  if (warnings.length === 0 || (override && override.length >= 5)) return;
  const strata = warnings.map((w) => w.stratum).join(', ');
  throw new DomainError(
    'VALIDATION_FAILED',
    `The latest rehearsal of this list had ${warnings.length} warning(s): the list ran out in stratum ${strata}. Lengthen the list and rehearse again, or give an override reason (at least 5 characters) to activate anyway.`,
    { warnings },
  );
}

export async function activationSummary(sql: Sql, studyId: number) {
  const scheme = await SchemesRepository.latest(sql, studyId);
  const draft = scheme && scheme.state === 'draft' ? scheme : null;
  const rehearsal = draft ? await RehearsalsRepository.latestFor(sql, studyId, draft.id) : null;
  return {
    schemeVersion: draft?.version ?? null,
    rehearsed: rehearsal !== null,
    rehearsal: rehearsal ? { patients: rehearsal.patients, runAt: rehearsal.runAt, runBy: rehearsal.runBy } : null,
    warnings: rehearsal?.warnings ?? [],
    overrideRequired: (rehearsal?.warnings.length ?? 0) > 0,
  };
}

export async function lockSummary(sql: Sql, studyId: number, protocol: Protocol) {
  const open = (await UnblindingRepository.list(sql, studyId, null)).filter(
    (r) => r.status === 'pending' || r.status === 'approved',
  );
  const patients = await sql.all<Record<string, unknown>>(
    `SELECT a.participant_id, a.randomized_at, p.screening_number, p.site_code FROM allocations a JOIN participants p ON p.id = a.participant_id WHERE a.study_id = ? ORDER BY a.randomization_number`,
    [studyId],
  );
  const done = new Set(
    (
      await sql.all<Record<string, unknown>>('SELECT participant_id, period FROM dispensations WHERE study_id = ?', [
        studyId,
      ])
    ).map((r) => `${r.participant_id}|${r.period}`),
  );
  const undispensed = patients.flatMap((a) =>
    protocol.periods
      .map((period, i) => ({ period, i }))
      .filter(({ period }) => !done.has(`${a.participant_id}|${period.number}`))
      .map(({ period, i }) => ({
        participantId: String(a.participant_id),
        screeningNumber: String(a.screening_number),
        siteCode: String(a.site_code),
        period: period.number,
        periodLabel: period.label,
        dueBy: dueWindow(period, i, String(a.randomized_at))?.dueBy ?? null,
      })),
  );
  return {
    openUnblindingRequests: open.map((r) => ({
      id: r.id,
      participantId: r.participantId,
      screeningNumber: r.screeningNumber,
      siteCode: r.siteCode,
      status: r.status,
      requestedAt: r.requestedAt,
      requestedByName: r.requestedByName,
    })),
    undispensed,
  };
}
