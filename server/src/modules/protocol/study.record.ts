import type { StudyStatus } from '../../../../shared/contract.js';
import { asInt, asStr, asStrOrNull } from '../../database/sql.js';

export interface StudyRecord {
  /** The row id: every study-scoped row carries it as study_id, and the study's audit chain is this number. */
  id: number;
  code: string;
  title: string;
  protocolSha256: string;
  status: StudyStatus;
  activeSchemeId: string | null;
  listFingerprint: string | null;
  activatedAt: string | null;
  lockedAt: string | null;
  unblindedAt: string | null;
}

export function toStudyRecord(r: Record<string, unknown>): StudyRecord {
  return {
    id: asInt(r.id),
    code: asStr(r.code),
    title: asStr(r.title),
    protocolSha256: asStr(r.protocol_sha256),
    status: asStr(r.status) as StudyStatus,
    activeSchemeId: asStrOrNull(r.active_scheme_id),
    listFingerprint: asStrOrNull(r.list_fingerprint),
    activatedAt: asStrOrNull(r.activated_at),
    lockedAt: asStrOrNull(r.locked_at),
    unblindedAt: asStrOrNull(r.unblinded_at),
  };
}
