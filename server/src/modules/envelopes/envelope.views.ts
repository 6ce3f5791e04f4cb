/**
 * What each role reads of an envelope. Blinded roles: number, site, stratum, order and status, and
 * for a used envelope the patient, randomization number and opening time — never the arm, the
 * sealed code of an unused envelope, or the nonce. The arm only for unblinded viewers
 * (isBlindedViewer); the nonce never leaves the server.
 */
import type { EnvelopeSheet, EnvelopeView, SheetCopy } from '../../../../shared/contract.js';
import { parseStratumKey, type Protocol } from '../../../../shared/protocol/index.js';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import type { EnvelopeWithEntry } from './envelope.record.js';

export type { EnvelopeSheet, EnvelopeView, SheetCopy };

export function toEnvelopeView(e: EnvelopeWithEntry, viewer: Viewer): EnvelopeView {
  const blinded = isBlindedViewer(viewer);
  const view: EnvelopeView = {
    id: e.id,
    number: e.number,
    siteCode: e.siteCode,
    stratum: e.stratumKey,
    ordinal: e.ordinal,
    status: e.status,
    commitment: e.commitment,
    reservedAt: e.reservedAt,
    reservedBy: e.reservedBy,
    printCount: e.printCount,
    openedAt: e.openedAt,
    openedBy: e.openedBy,
    participantId: e.participantId,
    randomizationNumber: e.randomizationNumber,
    reconciledAt: e.reconciledAt,
    reconciledBy: e.reconciledBy,
    voidedAt: e.voidedAt,
    voidedBy: e.voidedBy,
    voidReason: e.voidReason,
  };
  if (!blinded || e.status === 'used') view.treatmentCode = e.treatmentCode;
  if (!blinded) view.arm = e.armCode;
  return view;
}

function stratumLabels(protocol: Protocol, key: string): Array<{ factor: string; level: string }> {
  const levels = parseStratumKey(key);
  const out: Array<{ factor: string; level: string }> = [];
  for (const f of protocol.stratification.factors) {
    const code = levels[f.id];
    if (code !== undefined) out.push({ factor: f.label, level: f.levels.find((l) => l.code === code)?.label ?? code });
  }
  return out;
}

export function toSheet(
  protocol: Protocol,
  e: EnvelopeWithEntry,
  ofCount: number,
  siteName: string,
  copy: SheetCopy,
): EnvelopeSheet {
  const sheet: EnvelopeSheet = {
    envelopeId: e.id,
    number: e.number,
    siteCode: e.siteCode,
    siteName,
    stratum: e.stratumKey,
    stratumLabels: stratumLabels(protocol, e.stratumKey),
    ordinal: e.ordinal,
    ofCount,
    treatmentCode: e.treatmentCode,
    commitmentPrefix: e.commitment.slice(0, 16),
  };
  if (copy === 'pharmacy') {
    const arm = protocol.arms.find((a) => a.code === e.armCode);
    sheet.arm = {
      code: e.armCode,
      label: arm?.label ?? e.armCode,
      products: (arm?.products ?? []).map((code, i) => ({
        period: protocol.periods[i]?.number ?? i + 1,
        code,
        label: protocol.products.find((p) => p.code === code)?.label ?? code,
      })),
    };
  }
  return sheet;
}
