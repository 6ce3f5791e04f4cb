/**
 * `archive verify`: checks a study archive with nothing but its files — no database, no configuration,
 * no signing key file. Each check gives a verdict and the problems it found, each naming the file:
 *   1. manifest signature (MANIFEST.sha256.sig, Ed25519, with the archive's public key or --public-key);
 *   2. files against the manifest (changed, missing or added files);
 *   3. the audit chain re-hashed end to end with its sealed parts (the server's own ChainVerifier);
 *   4. every signed checkpoint: signature (through the key ring of rotations) and agreement with the chain;
 *   5. the protocol file against its recorded SHA-256 and the chain's record of loading it;
 *   6. the allocation log against the chain's randomization entries (number, code, stratum, sealed arm);
 *   7. the unblinding register against the chain's entries (who, when, which patient).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { AllocationLogEntry, UnblindingRegisterEntry } from '../../../../shared/contract.js';
import { toCsv } from '../../common/csv.js';
import { ChainVerifier, publicKeyFromBase64, type StoredAuditEntry } from '../../database/audit/audit-chain.js';
import { NO_LEGACY, type SealedPart, type SealState } from '../../database/audit/audit-seal.js';
import { describeBadLines, parseCheckpointText } from '../../database/audit/checkpoint-file.js';
import type { KeyRotationRecord } from '../../database/audit/key-ring.js';
import { allocationLogCsv } from '../../modules/allocation-log/allocation-log.rows.js';
import { concludeVerification } from '../../modules/audit/audit-verify.js';
import { REGISTER_COLUMNS } from '../../modules/unblinding/unblinding.views.js';
import { ARCHIVE_PATHS as P } from './archive-layout.js';
import { manifestSignatureValid, parseManifest, sha256OfBytes } from './archive-manifest.js';

export interface ArchiveCheck {
  name: string;
  ok: boolean;
  /** What was checked, in one line (counts). */
  summary: string;
  problems: string[];
}

type Files = Map<string, Buffer>;

const text = (files: Files, path: string): string | null => files.get(path)?.toString('utf8') ?? null;

/** A JSON file of the archive, or a problem naming it. */
function json<T>(files: Files, path: string, problems: string[]): T | null {
  const t = text(files, path);
  if (t === null) {
    problems.push(`${path}: missing`);
    return null;
  }
  try {
    return JSON.parse(t) as T;
  } catch {
    problems.push(`${path}: not valid JSON`);
    return null;
  }
}

function check(name: string, summary: string, problems: string[]): ArchiveCheck {
  return { name, ok: problems.length === 0, summary, problems };
}

function trustedKey(files: Files, pinned: string | undefined, problems: string[]): KeyObject | null {
  try {
    if (pinned) return publicKeyFromBase64(pinned);
    const pem = text(files, P.publicKey);
    if (pem === null) {
      problems.push(`${P.publicKey}: missing (give --public-key to verify without it)`);
      return null;
    }
    return createPublicKey(pem);
  } catch {
    problems.push(pinned ? '--public-key is not a base64 SPKI Ed25519 public key' : `${P.publicKey}: not a public key`);
    return null;
  }
}

function manifestChecks(files: Files, key: KeyObject | null, keyProblems: string[]): ArchiveCheck[] {
  const manifest = files.get(P.manifest);
  const signature = files.get(P.manifestSignature);
  const sigProblems = [...keyProblems];
  if (!manifest) sigProblems.push(`${P.manifest}: missing`);
  if (!signature) sigProblems.push(`${P.manifestSignature}: missing`);
  if (manifest && signature && key && !manifestSignatureValid(manifest, signature, key))
    sigProblems.push(`${P.manifestSignature}: the signature over ${P.manifest} does not verify with the public key`);
  const fileProblems: string[] = [];
  const { entries, bad } = parseManifest(manifest?.toString('utf8') ?? '');
  for (const line of bad) fileProblems.push(`${P.manifest} ${line}: not a "<sha256>  <file>" line`);
  for (const [path, hash] of entries) {
    const bytes = files.get(path);
    if (!bytes) fileProblems.push(`${path}: listed in the manifest but missing (deleted)`);
    else if (sha256OfBytes(bytes) !== hash)
      fileProblems.push(`${path}: its SHA-256 differs from the manifest (changed)`);
  }
  for (const path of files.keys())
    if (path !== P.manifest && path !== P.manifestSignature && !entries.has(path))
      fileProblems.push(`${path}: not in the manifest (added)`);
  return [
    check('manifest signature', `${P.manifest} signed with Ed25519`, sigProblems),
    check('files', `${entries.size} files listed in ${P.manifest}`, fileProblems),
  ];
}

/** Lines of a JSON Lines file; an unreadable line is a problem naming file and line. */
function jsonLines<T>(files: Files, path: string, problems: string[]): T[] {
  const t = text(files, path);
  if (t === null) {
    problems.push(`${path}: missing`);
    return [];
  }
  const out: T[] = [];
  t.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      problems.push(`${path} line ${i + 1}: not JSON`);
    }
  });
  return out;
}

interface About {
  study: { code: string; protocolSha256: string };
  chain: { entries: number; headHash: string };
}

function chainChecks(
  files: Files,
  key: KeyObject | null,
  about: About | null,
): {
  checks: ArchiveCheck[];
  entries: StoredAuditEntry[];
} {
  const chainProblems: string[] = [];
  const cpProblems: string[] = [];
  const entries = jsonLines<StoredAuditEntry>(files, P.chain, chainProblems);
  const sealed = new Map(
    jsonLines<SealedPart & { seq: number }>(files, P.sealed, chainProblems).map((s) => [s.seq, s]),
  );
  const state = json<SealState>(files, P.sealState, chainProblems) ?? NO_LEGACY;
  const rotations = json<KeyRotationRecord[]>(files, P.rotations, cpProblems) ?? [];
  const cpText = text(files, P.checkpoints);
  if (cpText === null) cpProblems.push(`${P.checkpoints}: missing`);
  const parsed = parseCheckpointText(P.checkpoints, cpText ?? '');
  cpProblems.push(...describeBadLines(parsed).map((l) => l.replace(/ — run .*$/, '')));
  const verifier = new ChainVerifier(parsed.checkpoints, { state, full: true });
  for (const e of entries) {
    const part = sealed.get(e.seq);
    verifier.push({ ...e, sealed: part ? { nonce: part.nonce, content: part.content } : null });
  }
  const head = about ? { seq: about.chain.entries, hash: about.chain.headHash } : null;
  const result = concludeVerification(verifier, key, rotations, head);
  for (const p of result.problems) {
    if (/^(checkpoint|key rotation|no trusted)/.test(p)) cpProblems.push(`${P.checkpoints}: ${p}`);
    else chainProblems.push(`${/^the chain head/.test(p) ? P.about : P.chain}: ${p}`);
  }
  if (parsed.checkpoints.length === 0) cpProblems.push(`${P.checkpoints}: no signed checkpoint`);
  return {
    entries,
    checks: [
      check('audit chain', `${result.count} entries re-hashed, ${sealed.size} sealed parts opened`, chainProblems),
      check('checkpoints', `${parsed.checkpoints.length} signed checkpoints`, cpProblems),
    ],
  };
}

const sameTime = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b);

function detailsOf(e: StoredAuditEntry): Record<string, unknown> {
  return e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
}

function protocolCheck(files: Files, about: About | null, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const yaml = files.get(P.protocol);
  if (!yaml) problems.push(`${P.protocol}: missing`);
  const actual = yaml ? sha256OfBytes(yaml) : null;
  const recorded = text(files, P.protocolSha)?.split(/\s/)[0] ?? null;
  if (actual && recorded !== actual) problems.push(`${P.protocolSha}: does not hold the SHA-256 of ${P.protocol}`);
  if (actual && about && about.study.protocolSha256 !== actual)
    problems.push(`${P.protocol}: its SHA-256 is not the one the study registered (${P.about})`);
  if (actual && !entries.some((e) => detailsOf(e).protocolSha256 === actual))
    problems.push(`${P.protocol}: no audit entry records loading a protocol with this SHA-256`);
  return check('protocol', `SHA-256 ${actual ?? '(none)'}`, problems);
}

function allocationCheck(files: Files, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const rows = json<AllocationLogEntry[]>(files, P.allocationJson, problems) ?? [];
  const csv = text(files, P.allocationCsv);
  if (csv === null) problems.push(`${P.allocationCsv}: missing`);
  else if (csv !== allocationLogCsv(rows, true)) problems.push(`${P.allocationCsv}: differs from ${P.allocationJson}`);
  const randomized = entries.filter((e) => e.action === 'participant.randomized');
  const byParticipant = new Map(randomized.map((e) => [e.entityId, e]));
  for (const r of rows) {
    const e = byParticipant.get(r.participantId);
    const d = e ? detailsOf(e) : {};
    const where = `${P.allocationJson} randomization ${r.randomizationNumber}`;
    if (!e) problems.push(`${where}: no randomization entry for participant ${r.participantId} in ${P.chain}`);
    else if (
      d.randomizationNumber !== r.randomizationNumber ||
      d.treatmentCode !== r.treatmentCode ||
      d.stratum !== r.stratum
    )
      problems.push(`${where}: differs from entry ${e.seq} of ${P.chain} (number, treatment code or stratum)`);
    else if (e.sealed && (e.sealed.content as { armCode?: unknown })?.armCode !== r.arm)
      problems.push(`${where}: its arm differs from the sealed arm of entry ${e.seq} of ${P.chain}`);
  }
  if (randomized.length !== rows.length)
    problems.push(
      `${P.allocationJson}: ${rows.length} rows, but ${P.chain} records ${randomized.length} randomizations`,
    );
  return check('allocation log', `${rows.length} allocations checked against the chain`, problems);
}

function registerCheck(files: Files, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const rows = json<UnblindingRegisterEntry[]>(files, P.registerJson, problems) ?? [];
  const csv = text(files, P.registerCsv);
  if (csv === null) problems.push(`${P.registerCsv}: missing`);
  else if (csv !== toCsv(rows, REGISTER_COLUMNS)) problems.push(`${P.registerCsv}: differs from ${P.registerJson}`);
  rows.forEach((r, i) => {
    // The entry's actor, or a co-signer of it (end-of-study unblinding is signed by two statisticians).
    const by = (e: StoredAuditEntry) => {
      const signers = detailsOf(e).signatures;
      return (
        e.actor === r.seenBy ||
        (Array.isArray(signers) && signers.some((s: { signerUsername?: unknown }) => s?.signerUsername === r.seenBy))
      );
    };
    const found = entries.some(
      (e) => by(e) && sameTime(e.at, r.at) && (r.participantId === null || e.entityId === r.participantId),
    );
    if (!found)
      problems.push(
        `${P.registerJson} row ${i + 1} (${r.kind}, ${r.seenBy}, ${r.at}): no entry of ${P.chain} records it`,
      );
  });
  return check('unblinding register', `${rows.length} register rows checked against the chain`, problems);
}

/** Every check, in order. The archive verifies when every check is ok. */
export function verifyArchive(files: Files, pinnedKey?: string): ArchiveCheck[] {
  const keyProblems: string[] = [];
  const key = trustedKey(files, pinnedKey, keyProblems);
  const aboutProblems: string[] = [];
  const about = json<About>(files, P.about, aboutProblems);
  const chain = chainChecks(files, key, about);
  chain.checks[0].problems.unshift(...aboutProblems);
  chain.checks[0].ok = chain.checks[0].problems.length === 0;
  return [
    ...manifestChecks(files, key, keyProblems),
    ...chain.checks,
    protocolCheck(files, about, chain.entries),
    allocationCheck(files, chain.entries),
    registerCheck(files, chain.entries),
  ];
}
