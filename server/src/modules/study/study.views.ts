/**
 * What each viewer sees of the study. Blinded viewers get the design, eligibility and strata, the
 * status and the published fingerprint, but no arms, sequences or products (counts by arm are
 * unblinding too).
 */
import type { StudyView } from '../../../../shared/contract.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import type { StudyRecord } from '../protocol/study.record.js';
import type { SchemeRecord } from '../protocol/schemes.repository.js';

export function toStudyView(
  study: StudyRecord,
  protocol: Protocol,
  viewer: Viewer,
  scheme: SchemeRecord | null,
): StudyView {
  const blinded = isBlindedViewer(viewer);
  return {
    code: study.code,
    title: study.title,
    registryId: protocol.study.registryId ?? null,
    design: protocol.design,
    periods: protocol.periods.map((p) => ({ number: p.number, label: p.label, timing: p.timing ?? null })),
    armCount: protocol.arms.length,
    // The allocation ratio in protocol order, without codes or labels: what a blinded trial statistician
    // needs to simulate designs. A published design fact, not derived from any patient's allocation.
    armRatios: protocol.arms.map((a) => a.ratio),
    ...(blinded
      ? {}
      : {
          arms: protocol.arms.map((a) => ({ code: a.code, label: a.label, ratio: a.ratio, products: a.products })),
          products: protocol.products.map((p) => ({ code: p.code, label: p.label })),
        }),
    questions: protocol.questions,
    eligibility: protocol.eligibility,
    strataFactors: protocol.stratification.factors.map((f) => ({
      id: f.id,
      label: f.label,
      question: f.question,
      levels: f.levels.map((l) => ({ code: l.code, label: l.label })),
    })),
    stratifiedBySite: protocol.stratification.bySite,
    unblindingPolicy: protocol.unblinding.policy,
    /** 24/7 contacts and the escalation rule: shown in the request dialog and on the emergency card (no arm). */
    emergency: protocol.unblinding.emergency ?? null,
    treatmentCodeFormat: { prefix: protocol.treatmentCode.prefix, length: protocol.treatmentCode.length },
    status: study.status,
    listFingerprint: study.listFingerprint,
    protocolSha256: study.protocolSha256,
    activatedAt: study.activatedAt,
    lockedAt: study.lockedAt,
    unblindedAt: study.unblindedAt,
    scheme:
      scheme && !blinded
        ? {
            id: scheme.id,
            version: scheme.version,
            state: scheme.state,
            method: scheme.method,
            fingerprint: scheme.fingerprint,
          }
        : null,
  };
}

export type { StudyView };
