/**
 * `archive verify`: checks a study archive with nothing but its files — no database, no configuration,
 * no signing key file. Each check gives a verdict and the problems it found, each naming the file:
 *   1. manifest signature (MANIFEST.sha256.sig, Ed25519, with the archive's public key or --public-key);
 *   2. files against the manifest (changed, missing or added files);
 *   3. the audit chain re-hashed end to end with its sealed parts (the server's own ChainVerifier);
 *   4. every signed checkpoint: signature (through the key ring of rotations) and agreement with the chain;
 *   5. the protocol file against its recorded SHA-256 and the chain's record of loading it;
 *   6. each scheme's fingerprint recomputed with the released salt, its list CSV, the published fingerprint;
 *   7. the allocation log against the chain's randomization entries (number, code, stratum, sealed arm) and
 *      against the list entry each one names;
 *   8. the unblinding register against the chain's entries (who, when, which patient);
 *   9. every electronic signature's seal (the key of record at its time) and its mention in the chain.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { AllocationLogEntry, UnblindingRegisterEntry } from '../../../../shared/contract.js';
import { listToCsv, schemeFingerprint, type Scheme } from '../../../../shared/engine/index.js';
import { toCsv } from '../../common/csv.js';
import {
  chainGenesis,
  ChainVerifier,
  publicKeyFromBase64,
  type StoredAuditEntry,
} from '../../database/audit/audit-chain.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';
import { NO_LEGACY, type SealedPart, type SealState } from '../../database/audit/audit-seal.js';
import { describeBadLines, parseCheckpointText } from '../../database/audit/checkpoint-file.js';
import { KeyRing, type KeyRotationRecord } from '../../database/audit/key-ring.js';
import { allocationLogCsv } from '../../modules/allocation-log/allocation-log.rows.js';
import { concludeVerification } from '../../modules/audit/audit-verify.js';
import { sealMessage, type SealedSignatureFields } from '../../modules/signatures/seal-message.js';
import { REGISTER_COLUMNS } from '../../modules/unblinding/unblinding.views.js';
import { ARCHIVE_PATHS as P, SIGNATURE_FILE_COLUMNS } from './archive-layout.js';
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
  study: { code: string; protocolSha256: string; listFingerprint: string | null };
  /** `id`: the study's chain (absent in archives written before studies had chains of their own: the first). */
  chain: { id?: number; entries: number; headHash: string };
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
  const entries = jsonLines<StoredAuditEntry>(files, P.chain, chainProblems).map((e, i) => {
    if (e && typeof e === 'object' && !Array.isArray(e)) return e;
    chainProblems.push(`${P.chain} entry ${i + 1}: not a JSON object`);
    return {} as StoredAuditEntry;
  });
  const sealed = new Map(
    jsonLines<SealedPart & { seq: number }>(files, P.sealed, chainProblems).map((s) => [s.seq, s]),
  );
  const state = json<SealState>(files, P.sealState, chainProblems) ?? NO_LEGACY;
  const rotations = json<KeyRotationRecord[]>(files, P.rotations, cpProblems) ?? [];
  const cpText = text(files, P.checkpoints);
  if (cpText === null) cpProblems.push(`${P.checkpoints}: missing`);
  const parsed = parseCheckpointText(P.checkpoints, cpText ?? '');
  cpProblems.push(...describeBadLines(parsed).map((l) => l.replace(/ — run .*$/, '')));
  // Where the chain starts follows from the study's code (audit-chain.ts chainGenesis), not from a stored value.
  const genesis = about ? chainGenesis(about.chain.id ?? FIRST_STUDY_ID, about.study.code) : undefined;
  const verifier = new ChainVerifier(parsed.checkpoints, { state, full: true, genesis });
  // Each entry with its sealed part: the chain check opens it, and the log check reads the sealed arm.
  const withSealed = entries.map((e) => {
    const part = sealed.get(e.seq);
    return { ...e, sealed: part ? { nonce: part.nonce, content: part.content } : null };
  });
  for (const e of withSealed) verifier.push(e);
  const head = about ? { seq: about.chain.entries, hash: about.chain.headHash } : null;
  const result = concludeVerification(verifier, key, rotations, head);
  for (const p of result.problems) {
    if (/^(checkpoint|key rotation|no trusted)/.test(p)) cpProblems.push(`${P.checkpoints}: ${p}`);
    else chainProblems.push(`${/^the chain head/.test(p) ? P.about : P.chain}: ${p}`);
  }
  if (parsed.checkpoints.length === 0) cpProblems.push(`${P.checkpoints}: no signed checkpoint`);
  return {
    entries: withSealed,
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

interface SchemeFile {
  record: { version: number; state: string; fingerprint: string; salt: string | null; live: boolean };
  document: Scheme;
}

/** The archived scheme versions, by version (a file that does not parse is a problem naming it). */
function readSchemes(files: Files, problems: string[]): Map<number, SchemeFile> {
  const schemes = new Map<number, SchemeFile>();
  for (const path of [...files.keys()].filter((p) => /^schemes\/scheme-v\d+\.json$/.test(p)).sort()) {
    const s = json<SchemeFile>(files, path, problems);
    if (s?.record && s.document && Array.isArray(s.document.strata)) schemes.set(s.record.version, s);
    else if (s) problems.push(`${path}: not a scheme record and document`);
  }
  return schemes;
}

/**
 * With the salt released at end-of-study unblinding, each scheme's fingerprint is recomputed from its
 * document (the engine's own function) and must be the one published; the list CSV must be the
 * document's list; the study's published fingerprint must be a scheme's, and recorded in the chain.
 */
function schemesCheck(files: Files, about: About | null, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const schemes = readSchemes(files, problems);
  for (const [version, { record, document }] of schemes) {
    const path = `${P.schemesDir}/scheme-v${version}.json`;
    if (schemeFingerprint({ ...document, salt: record.salt ?? undefined }) !== record.fingerprint)
      problems.push(`${path}: the fingerprint recomputed from the document and released salt is not the recorded one`);
    const list = text(files, `${P.schemesDir}/scheme-v${version}-list.csv`);
    if (!record.live && list !== listToCsv(document))
      problems.push(
        `${P.schemesDir}/scheme-v${version}-list.csv: ${list === null ? 'missing' : 'differs from the list in ' + path}`,
      );
  }
  const published = about?.study.listFingerprint;
  if (published) {
    if (![...schemes.values()].some((s) => s.record.fingerprint === published))
      problems.push(`${P.about}: the study's published list fingerprint is no archived scheme's`);
    if (!entries.some((e) => JSON.stringify(e.details).includes(published)))
      problems.push(`${P.chain}: no entry records the published list fingerprint ${published}`);
  }
  return check('schemes and lists', `${schemes.size} scheme version(s), fingerprints recomputed`, problems);
}

function allocationCheck(files: Files, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const rows = json<AllocationLogEntry[]>(files, P.allocationJson, problems) ?? [];
  const csv = text(files, P.allocationCsv);
  if (csv === null) problems.push(`${P.allocationCsv}: missing`);
  else if (csv !== allocationLogCsv(rows, true)) problems.push(`${P.allocationCsv}: differs from ${P.allocationJson}`);
  const schemes = readSchemes(files, []);
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
    else if (!listAgrees(schemes, d, r))
      problems.push(`${where}: its arm or code differs from the list entry the chain names (scheme version, position)`);
  }
  if (randomized.length !== rows.length)
    problems.push(
      `${P.allocationJson}: ${rows.length} rows, but ${P.chain} records ${randomized.length} randomizations`,
    );
  return check('allocation log', `${rows.length} allocations checked against the chain`, problems);
}

/** The list entry a randomization entry names (scheme version, stratum, position) holds the row's arm and code. */
function listAgrees(schemes: Map<number, SchemeFile>, d: Record<string, unknown>, r: AllocationLogEntry): boolean {
  const scheme = schemes.get(Number(d.schemeVersion));
  if (!scheme || scheme.record.live || typeof d.listPosition !== 'number') return true;
  const entry = scheme.document.strata
    .find((s) => s.key === r.stratum)
    ?.entries.find((x) => x.position === d.listPosition);
  return entry?.armCode === r.arm && entry?.treatmentCode === r.treatmentCode;
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
    // The patient is the entry's subject, or named in its details (an inadvertent report lists its patients,
    // a safety delivery names one); a disclosure report's entry counts its patients per site.
    const about = (e: StoredAuditEntry) =>
      r.participantId === null ||
      e.entityId === r.participantId ||
      JSON.stringify(e.details ?? null).includes(r.participantId) ||
      (r.kind === 'disclosure' && e.action === 'disclosure.generated');
    const found = entries.some((e) => by(e) && sameTime(e.at, r.at) && about(e));
    if (!found)
      problems.push(
        `${P.registerJson} row ${i + 1} (${r.kind}, ${r.seenBy}, ${r.at}): no entry of ${P.chain} records it`,
      );
  });
  return check('unblinding register', `${rows.length} register rows checked against the chain`, problems);
}

type SignatureRow = SealedSignatureFields & { seal: string };

function sealValid(row: SignatureRow, key: KeyObject | null): boolean {
  if (!key) return false;
  try {
    return verify(null, Buffer.from(sealMessage(row)), key, Buffer.from(row.seal, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Each electronic signature's seal verifies with the key of record at its time (the key ring of the
 * trusted key and its rotations, as the server checks it), and the chain's entries name it.
 */
function signaturesCheck(files: Files, key: KeyObject | null, entries: StoredAuditEntry[]): ArchiveCheck {
  const problems: string[] = [];
  const rows = json<SignatureRow[]>(files, P.signaturesJson, problems) ?? [];
  const csv = text(files, P.signaturesCsv);
  if (csv === null) problems.push(`${P.signaturesCsv}: missing`);
  else if (csv !== toCsv(rows, [...SIGNATURE_FILE_COLUMNS]))
    problems.push(`${P.signaturesCsv}: differs from ${P.signaturesJson}`);
  const rotations = json<KeyRotationRecord[]>(files, P.rotations, []) ?? [];
  const ring = key ? KeyRing.from(key, rotations) : null;
  const chainText = entries.map((e) => JSON.stringify(e.details)).join('\n');
  for (const r of rows) {
    if (!sealValid(r, ring?.keyAt(r.signedAt) ?? null))
      problems.push(
        `${P.signaturesJson} signature ${r.id}: its seal does not verify with the key of record at ${r.signedAt}`,
      );
    if (!chainText.includes(r.id))
      problems.push(`${P.signaturesJson} signature ${r.id}: no entry of ${P.chain} names it`);
  }
  return check('signatures', `${rows.length} electronic signatures, seals verified`, problems);
}

/** A file of unexpected shape (valid JSON, wrong structure) fails its check instead of stopping the run. */
function guarded(name: string, work: () => ArchiveCheck[]): ArchiveCheck[] {
  try {
    return work();
  } catch (err) {
    return [
      check(name, 'could not be checked', [
        `a file of this check is not in the expected shape (${(err as Error).message})`,
      ]),
    ];
  }
}

/** Every check, in order. The archive verifies when every check is ok. */
export function verifyArchive(files: Files, pinnedKey?: string): ArchiveCheck[] {
  const keyProblems: string[] = [];
  const key = trustedKey(files, pinnedKey, keyProblems);
  const aboutProblems: string[] = [];
  const about = json<About>(files, P.about, aboutProblems);
  let entries: StoredAuditEntry[] = [];
  const chain = guarded('audit chain', () => {
    const result = chainChecks(files, key, about);
    entries = result.entries;
    result.checks[0].problems.unshift(...aboutProblems);
    result.checks[0].ok = result.checks[0].problems.length === 0;
    return result.checks;
  });
  return [
    ...manifestChecks(files, key, keyProblems),
    ...chain,
    ...guarded('protocol', () => [protocolCheck(files, about, entries)]),
    ...guarded('schemes and lists', () => [schemesCheck(files, about, entries)]),
    ...guarded('allocation log', () => [allocationCheck(files, entries)]),
    ...guarded('unblinding register', () => [registerCheck(files, entries)]),
    ...guarded('signatures', () => [signaturesCheck(files, key, entries)]),
  ];
}
