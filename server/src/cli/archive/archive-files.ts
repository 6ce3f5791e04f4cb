/**
 * What goes into a study archive, read from a database in ONE read-only snapshot (so the chain, the
 * checkpoints, the allocation log and the register are one consistent picture), as files in open
 * formats: YAML, JSON, JSON Lines, CSV and PEM. Every export is produced by the code the server uses
 * for the same export (allocation log, unblinding register, CDISC data set, scheme list CSV), so the
 * archive holds the same bytes an inspector downloads.
 *
 * The audit chain is written one entry a line with exactly the fields its hash covers plus prevHash
 * and hash (audit/chain.jsonl); the sealed parts (the arm-dependent details, by seq, with their nonces)
 * are a file of their own (audit/sealed.jsonl), so the chain file re-hashes with no knowledge of sealing.
 */
import type { CheckpointView } from '../../../../shared/contract.js';
import { listToCsv } from '../../../../shared/engine/index.js';
import { parseProtocolOrThrow } from '../../../../shared/protocol/index.js';
import { toCsv } from '../../common/csv.js';
import { chainGenesis, checkpointMessage, sha256Hex } from '../../database/audit/audit-chain.js';
import { mergeCheckpoints } from '../../database/audit/checkpoint-file.js';
import { readRotationRecords } from '../../database/audit/key-ring.js';
import type { Sql } from '../../database/sql.js';
import { allocationLogCsv, readAllocationLog } from '../../modules/allocation-log/allocation-log.rows.js';
import {
  readSealState,
  SEALED_ENTRY_COLUMNS,
  SEALED_ENTRY_FROM,
  toCheckpoint,
  toStoredEntry,
} from '../../modules/audit/audit.repository.js';
import { cdiscCsv } from '../../modules/exports/cdisc.js';
import { SchemesRepository } from '../../modules/protocol/schemes.repository.js';
import type { StudyRecord } from '../../modules/protocol/study.record.js';
import { StudyRepository } from '../../modules/protocol/study.repository.js';
import { UnblindingRepository } from '../../modules/unblinding/unblinding.repository.js';
import { REGISTER_COLUMNS, toRegisterView } from '../../modules/unblinding/unblinding.views.js';
import { CliError } from '../cli-error.js';
import { selectStudy } from '../study-option.js';
import { ARCHIVE_PATHS as P, ARCHIVE_FORMAT, SIGNATURE_FILE_COLUMNS } from './archive-layout.js';

/** What the writer knows besides the database: its signing key, version and time. */
interface ArchiveMeta {
  publicKeyPem: string;
  /** SPKI, base64 (as checkpoints carry it). */
  publicKey: string;
  /** Ed25519 signature (base64) of a message with the instance's audit signing key. */
  sign: (message: string) => string;
  version: string;
  now: string;
}

/** Relative path → content. */
type ArchiveFiles = Map<string, string>;

const jsonText = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/** The study row, for the code the operator gave (unknown codes are refused like on every other command). */
async function findStudy(sql: Sql, code: string): Promise<StudyRecord> {
  const chosen = await selectStudy(sql, code);
  const study = await StudyRepository.find(sql, chosen.id);
  if (!study) throw new CliError('this database has no study');
  return study;
}

/**
 * The study's chain alone (its id is the chain; it starts at its genesis: 0…0 for the first study,
 * SHA-256("blindrand chain " + code) for later ones), with the checkpoints the server sealed over it.
 */
async function auditFiles(
  sql: Sql,
  study: StudyRecord,
  files: ArchiveFiles,
  fileCheckpoints: CheckpointView[],
  meta: ArchiveMeta,
) {
  const chain = study.id;
  const lines: string[] = [];
  const sealed: string[] = [];
  let head = { seq: 0, hash: chainGenesis(chain, study.code) };
  for (let after = 0; ;) {
    const page = await sql.all(
      `SELECT ${SEALED_ENTRY_COLUMNS} FROM ${SEALED_ENTRY_FROM} WHERE l.chain = ? AND l.seq > ? ORDER BY l.seq LIMIT 1000`,
      [chain, after],
      toStoredEntry,
    );
    for (const { sealed: part, ...entry } of page) {
      lines.push(JSON.stringify(entry));
      if (part) sealed.push(JSON.stringify({ seq: entry.seq, nonce: part.nonce, content: part.content }));
      head = { seq: entry.seq, hash: entry.hash };
    }
    if (page.length < 1000) break;
    after = page[page.length - 1].seq;
  }
  const fromDb = await sql.all('SELECT * FROM audit_checkpoints WHERE chain = ? ORDER BY size', [chain], toCheckpoint);
  const checkpoints = mergeCheckpoints(fromDb, fileCheckpoints);
  // Entries after the newest checkpoint would rest on the manifest's signature alone: the archive seals
  // its head with one more checkpoint, signed by the same key as the server's (kept in the archive only).
  if (head.seq > 0 && checkpoints.at(-1)?.size !== head.seq) {
    const cp = { size: head.seq, headHash: head.hash, at: meta.now };
    checkpoints.push({ ...cp, signature: meta.sign(checkpointMessage(cp)), publicKey: meta.publicKey });
  }
  files.set(P.chain, lines.map((l) => l + '\n').join(''));
  files.set(P.sealed, sealed.map((l) => l + '\n').join(''));
  files.set(P.checkpoints, checkpoints.map((c) => JSON.stringify(c) + '\n').join(''));
  files.set(P.sealState, jsonText(await readSealState((q, p) => sql.all(q, p), chain)));
  files.set(P.rotations, jsonText(await readRotationRecords((q) => sql.all(q))));
  return { head, checkpoints: checkpoints.length, text: lines.join('\n') };
}

async function schemeFiles(sql: Sql, studyId: number, files: ArchiveFiles): Promise<number> {
  const ids = (await sql.all('SELECT id FROM schemes WHERE study_id = ? ORDER BY version', [studyId])).map((r) =>
    String(r.id),
  );
  for (const id of ids) {
    const record = (await SchemesRepository.findById(sql, studyId, id))!;
    const document = (await SchemesRepository.document(sql, studyId, id))!;
    const base = `${P.schemesDir}/scheme-v${record.version}`;
    // After end-of-study unblinding the seed and salt are released: with them `blindrand list verify`
    // regenerates the list and its published fingerprint.
    files.set(`${base}.json`, jsonText({ record, document }));
    if (!record.live) files.set(`${base}-list.csv`, listToCsv(document));
  }
  return ids.length;
}

/**
 * The signatures the study's chain names (the signatures table is the instance's: another study's, or an
 * instance act's such as a role grant, belongs to another chain and is not this archive's).
 */
async function signatureFiles(sql: Sql, files: ArchiveFiles, chainText: string): Promise<void> {
  const all = (await sql.all('SELECT * FROM signatures ORDER BY signed_at, id')).filter((r) =>
    chainText.includes(String(r.id)),
  );
  const rows = all.map((r) => ({
    id: String(r.id),
    signerId: String(r.signer_id),
    signerUsername: String(r.signer_username),
    printedName: String(r.printed_name),
    meaning: String(r.meaning),
    signedAt: String(r.signed_at),
    recordType: String(r.record_type),
    recordId: String(r.record_id),
    recordHash: String(r.record_hash),
    seal: String(r.seal),
  }));
  files.set(P.signaturesJson, jsonText(rows));
  files.set(P.signaturesCsv, toCsv(rows, [...SIGNATURE_FILE_COLUMNS]));
}

export interface CollectedArchive {
  files: ArchiveFiles;
  study: StudyRecord;
  summary: { entries: number; checkpoints: number; schemes: number; allocations: number; register: number };
}

/**
 * Reads everything inside the caller's snapshot. `requireUnblinded`: the archive holds arms and the
 * list, so a study whose end-of-study unblinding is not done is refused before a byte is written.
 */
export async function collectArchive(
  sql: Sql,
  studyCode: string,
  fileCheckpoints: (chain: number) => CheckpointView[],
  meta: ArchiveMeta,
): Promise<CollectedArchive> {
  const study = await findStudy(sql, studyCode);
  if (study.status !== 'unblinded')
    throw new CliError(
      `the study ${study.code} is ${study.status}: its archive holds the arms and the list, so it is written only after end-of-study unblinding`,
      2,
    );
  const files: ArchiveFiles = new Map();
  const yaml = (await StudyRepository.protocolYaml(sql, study.id)) ?? '';
  const protocol = parseProtocolOrThrow(yaml, 'stored protocol');
  files.set(P.protocol, yaml);
  files.set(P.protocolSha, `${sha256Hex(yaml)}  protocol.yaml\n`);
  const schemes = await schemeFiles(sql, study.id, files);
  const log = await readAllocationLog((q, p) => sql.all(q, p), study.id, true);
  files.set(P.allocationCsv, allocationLogCsv(log, true));
  files.set(P.allocationJson, jsonText(log));
  const register = (await UnblindingRepository.register(sql, study.id)).map(toRegisterView);
  files.set(P.registerCsv, toCsv(register, REGISTER_COLUMNS));
  files.set(P.registerJson, jsonText(register));
  files.set(P.cdisc, await cdiscCsv((q, p) => sql.all(q, p), study.id, protocol, study.code));
  const audit = await auditFiles(sql, study, files, fileCheckpoints(study.id), meta);
  await signatureFiles(sql, files, audit.text);
  files.set(P.publicKey, meta.publicKeyPem);
  files.set(
    P.about,
    jsonText({
      format: ARCHIVE_FORMAT,
      formatVersion: 1,
      study,
      writtenAt: meta.now,
      writtenBy: `blindrand ${meta.version}`,
      chain: { id: study.id, entries: audit.head.seq, headHash: audit.head.hash, checkpoints: audit.checkpoints },
    }),
  );
  return {
    files,
    study,
    summary: {
      entries: audit.head.seq,
      checkpoints: audit.checkpoints,
      schemes,
      allocations: log.length,
      register: register.length,
    },
  };
}
