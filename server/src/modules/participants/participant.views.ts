/**
 * Participant views, mapped per viewer. A blinded viewer gets the randomization number, the
 * treatment code and the fact of each dispensation — never the arm, sequence, product or lot.
 */
import type { ParticipantDetailView, ParticipantView, SignatureManifest } from '../../../../shared/contract.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import type { CorrectionRow, DispensationRow, ParticipantWithAllocation } from './participants.repository.js';

export function toParticipantView(
  { participant: p, allocation: a }: ParticipantWithAllocation,
  viewer: Viewer,
  protocol: Protocol,
): ParticipantView {
  const blinded = isBlindedViewer(viewer);
  const arm = a && !blinded ? protocol.arms.find((x) => x.code === a.armCode) : undefined;
  return {
    id: p.id,
    siteCode: p.siteCode,
    screeningNumber: p.screeningNumber,
    status: p.status,
    eligibilityFailures: p.eligibilityFailures,
    stratum: a?.stratumKey ?? p.stratumKey,
    stratumLevels: p.stratumLevels,
    randomizationNumber: a?.randomizationNumber ?? null,
    treatmentCode: a?.treatmentCode ?? null,
    randomizedAt: a?.randomizedAt ?? null,
    randomizedBy: a?.randomizedBy ?? null,
    randomizedInError: p.randomizedInError,
    // Kept on the wire for the console and exports; the status says it (migration 014 dropped the column).
    unblinded: p.status === 'unblinded',
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    ...(arm ? { arm: arm.code, armLabel: arm.label } : {}),
  };
}

export function toParticipantDetailView(
  pwa: ParticipantWithAllocation,
  viewer: Viewer,
  protocol: Protocol,
  corrections: CorrectionRow[],
  dispensations: DispensationRow[],
  signatures: Map<string, SignatureManifest> = new Map(),
): ParticipantDetailView {
  const blinded = isBlindedViewer(viewer);
  // Every signed record carries its manifestation (printed name, meaning, time: 21 CFR 11.50(b)). The texts are
  // the same for every arm (one meaning per act), so a blinded viewer learns nothing about the allocation from them.
  const sig = (id: string | null | undefined) => (id ? (signatures.get(id) ?? null) : null);
  return {
    ...toParticipantView(pwa, viewer, protocol),
    randomizationSignature: sig(pwa.allocation?.signatureId),
    answers: pwa.participant.answers,
    corrections: corrections.map((c) => ({
      id: c.id,
      field: c.field,
      oldValue: c.oldValue,
      newValue: c.newValue,
      reason: c.reason,
      createdBy: c.createdBy,
      createdAt: c.createdAt,
      signature: sig(c.signatureId),
    })),
    dispensations: dispensations.map((d) =>
      blinded
        ? { period: d.period, dispensedAt: d.dispensedAt, signature: sig(d.signatureId) }
        : {
            period: d.period,
            dispensedAt: d.dispensedAt,
            product: d.productCode,
            lotNumber: d.lotNumber,
            preparedBy: d.preparedBy,
            preparedByName: d.preparedByName,
            signature: sig(d.signatureId),
          },
    ),
  };
}
