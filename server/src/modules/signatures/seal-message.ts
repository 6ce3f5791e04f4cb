/**
 * The bytes a signature's seal covers (Ed25519 with the audit signing key): every field of the stored
 * signature but the seal itself. Shared by the server, which seals and verifies, and the study archive's
 * offline verifier (cli/archive/archive-verify.ts), which checks each archived seal.
 */
import { canonicalJson } from '../../../../shared/canonical-json.js';

export interface SealedSignatureFields {
  id: string;
  signerId: string;
  signerUsername: string;
  printedName: string;
  meaning: string;
  signedAt: string;
  recordType: string;
  recordId: string;
  recordHash: string;
}

export function sealMessage(s: SealedSignatureFields): string {
  const { id, signerId, signerUsername, printedName, meaning, signedAt, recordType, recordId, recordHash } = s;
  return canonicalJson({
    id,
    signerId,
    signerUsername,
    printedName,
    meaning,
    signedAt,
    recordType,
    recordId,
    recordHash,
  });
}
