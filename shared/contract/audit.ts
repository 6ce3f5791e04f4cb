/** The audit trail, its checkpoints and its verification. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  details: unknown;
  /** `withheld` for blinded readers on legacy entries whose old hash would test a guess of arms (see audit-seal.ts). */
  prevHash: string;
  hash: string;
  /**
   * Unblinded readers only: the nonce and commitment of the sealed `details.unblinded`. The chain hashes
   * `details.unblinded = {commitment}`; commitment = SHA-256(nonce bytes ‖ canonical JSON of the sealed value).
   */
  seal?: { commitment: string; nonce: string };
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** The `after` cursor of the next page, or null at the end. */
  next: number | null;
}

export interface CheckpointView {
  size: number;
  headHash: string;
  at: string;
  signature: string;
  publicKey: string;
}

export interface VerifyResult {
  valid: boolean;
  count: number;
  headHash: string;
  firstInvalidSeq: number | null;
  /** The newest signed checkpoint checked, and whether the chain still agrees with it. */
  checkpoint: { size: number; headHash: string; at: string; signatureValid: boolean; matches: boolean } | null;
  problems: string[];
  /** Things that do not break the chain but need an operator (a torn line in the checkpoint file, with file and line). */
  warnings?: string[];
}

export interface CheckpointInput {
  reason?: string;
}
