/**
 * The qualification report: what was checked, what was seen, pass or fail, and where and by whom —
 * signed with the instance's Ed25519 audit key so a sponsor can verify it offline
 * (`blindrand qualify verify REPORT.json`). The signature covers the canonical JSON of everything
 * but the signature itself, so changing one byte of any value makes verification fail.
 * Pure: used by the server (signing) and by the CLI (verification), no Nest, no database.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';

export type {
  CheckResult,
  QualificationReport,
  ReportEnvironment,
  UnsignedReport,
} from '../../../../shared/contract/qualification.js';
import type { QualificationReport, UnsignedReport } from '../../../../shared/contract/qualification.js';

/** The bytes the signature covers. */
export function signedBytes(report: UnsignedReport): string {
  return canonicalJson({ purpose: 'blindrand qualification report', report });
}

export function reportDigest(report: UnsignedReport): string {
  return createHash('sha256').update(signedBytes(report), 'utf8').digest('hex');
}

function unsignedPart(report: QualificationReport): UnsignedReport {
  const { signature: _s, ...rest } = report;
  return rest;
}

export interface VerifyOutcome {
  valid: boolean;
  /** One line per problem; empty when valid. */
  problems: string[];
  digest: string | null;
  /** True when the caller supplied the key to trust (otherwise only integrity under the embedded key). */
  keyTrusted: boolean;
}

/** Parses a Base64 SPKI or a PEM public (or private) key; null when it is neither. */
export function parsePublicKey(text: string): KeyObject | null {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
    return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function spki(key: KeyObject): string {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
}

/**
 * Verifies a report's signature. With `trusted`, the report must be signed by that key (the
 * instance's published public key); without it, only that the report is intact under the key it names.
 */
export function verifyReport(json: unknown, trusted?: KeyObject): VerifyOutcome {
  const problems: string[] = [];
  const report = json as Partial<QualificationReport> | null;
  if (!report || typeof report !== 'object' || report.format !== 'blindrand-qualification/1') {
    return {
      valid: false,
      problems: ['not a blindrand qualification report (format blindrand-qualification/1)'],
      digest: null,
      keyTrusted: !!trusted,
    };
  }
  const sig = report.signature;
  if (!sig || sig.algorithm !== 'Ed25519' || typeof sig.value !== 'string' || typeof sig.publicKey !== 'string') {
    return { valid: false, problems: ['the report carries no Ed25519 signature'], digest: null, keyTrusted: !!trusted };
  }
  let unsigned: UnsignedReport;
  let digest: string;
  try {
    unsigned = unsignedPart(report as QualificationReport);
    digest = reportDigest(unsigned);
  } catch (err) {
    return {
      valid: false,
      problems: [`the report cannot be read: ${(err as Error).message}`],
      digest: null,
      keyTrusted: !!trusted,
    };
  }
  const embedded = parsePublicKey(sig.publicKey);
  if (!embedded) problems.push('the public key named in the report is not a valid Ed25519 key');
  if (trusted && embedded && spki(trusted) !== spki(embedded))
    problems.push('the report is signed by another key than the one given with --public-key');
  const key = trusted ?? embedded;
  if (digest !== sig.digest)
    problems.push('the report was changed after signing: its digest differs from the signed digest');
  let ok: boolean;
  try {
    ok = !!key && verify(null, Buffer.from(signedBytes(unsigned), 'utf8'), key, Buffer.from(sig.value, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) problems.push('the signature does not verify: the report was changed or not signed by this key');
  // Covered by the signature already; named so that a hand-made "pass" over failed checks reads clearly.
  const failedCount = (report.checks ?? []).filter((c) => !c.pass).length;
  if ((report.result === 'pass') !== (failedCount === 0)) problems.push('the overall result does not match the checks');
  return { valid: problems.length === 0, problems, digest, keyTrusted: !!trusted };
}
