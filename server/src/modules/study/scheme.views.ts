import type { SchemeDesignView, SchemeView } from '../../../../shared/contract.js';
import type { Scheme } from '../../../../shared/engine/index.js';
import type { SchemeRecord } from '../protocol/schemes.repository.js';

/**
 * The scheme for the randomization statistician (unblinded): the design view plus the salted seed
 * commitment, the fingerprint, arms and strata, and the list when asked. The seed and salt stay secret
 * until end-of-study unblinding.
 */
export function toSchemeView(doc: { record: SchemeRecord; document: Scheme }, withList: boolean): SchemeView {
  const { record, document } = doc;
  return {
    ...toSchemeDesignView(doc),
    seedCommitment: record.seedCommitment,
    fingerprint: record.fingerprint,
    arms: document.arms,
    strata: document.strata.map((s) => ({
      key: s.key,
      levels: s.levels,
      size: s.entries.length,
      ...(withList ? { entries: s.entries } : {}),
    })),
  };
}

/**
 * The scheme for a blinded reader (the trial statistician before end-of-study unblinding): the method
 * and parameters they chose, and its state. No arms, strata entries, sizes per stratum, seed
 * commitment or fingerprint: nothing computed from the list.
 */
export function toSchemeDesignView(doc: { record: SchemeRecord }): SchemeDesignView {
  const { record } = doc;
  return {
    id: record.id,
    version: record.version,
    state: record.state,
    method: record.method,
    params: record.params,
    algorithm: record.algorithm,
    libraryVersion: record.libraryVersion,
    live: record.live,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
  };
}
