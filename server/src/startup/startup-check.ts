/**
 * Start-up tells the truth. Before the app opens (and migrates) the database, each fault that would
 * let the server start "healthy" while it cannot keep what it acknowledges, or while its history
 * reads forged, stops it with one line naming the problem — and nothing is written:
 *  - the disk holding the database, key or checkpoint file is full;
 *  - the database (file or PostgreSQL server) is read-only;
 *  - the signing key is missing, empty, corrupt or not the key of record while the database holds
 *    signed history (a key is created only for an empty database);
 *  - the checkpoint file has a torn line;
 *  - the database was restored from a backup: the checkpoint file (outside the database) holds a
 *    checkpoint beyond a chain's head, or one whose head hash differs from that chain — every chain is
 *    checked, the instance's (chain 0) and each study's;
 *  - the second-factor key is missing, corrupt or not the key that sealed the accounts' TOTP secrets
 *    while any account has one (a new key would lock every enrolled account out: no code could be
 *    checked, so none would be accepted, and their recovery codes would be dead too);
 *  - the database was migrated by a newer release (a migration this build does not know): this
 *    build's code would misread or damage the newer layout, so it does not touch it.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../config/config.js';
import type { CheckpointView } from '../../../shared/contract.js';
import { readCheckpointFileDetailed } from '../database/audit/checkpoint-file.js';
import { KeyFileError, SigningKey } from '../database/audit/signing-key.js';
import { SecondFactorKey } from '../modules/auth/second-factor-key.js';
import { STEPS } from '../database/migrations/index.js';
import { FIRST_STUDY_ID, INSTANCE_CHAIN, type ChainId } from '../database/study-scope.js';
import { inspectDatabase, positionKey, StartupError, type DatabaseState } from './database-state.js';

/** A checkpoint of the file with the chain it seals (a line without one is the first study's). */
type FileCheckpoint = CheckpointView & { chain: ChainId };

export interface StartupOptions {
  /** `audit reanchor` accepts a restored database (it records the loss itself). */
  acceptRestored?: boolean;
  /** `user reset-second-factors` starts without a usable second-factor key (it removes what it sealed). */
  secondFactorKeyLost?: boolean;
}

export interface StartupResult {
  key: SigningKey;
  /** Checkpoints of the file that the database no longer matches (only with acceptRestored). */
  lostCheckpoints: FileCheckpoint[];
}

export async function checkStartup(config: AppConfig, options: StartupOptions = {}): Promise<StartupResult> {
  checkFreeSpace(config);
  const fileCheckpoints = readCheckpointLines(config.checkpointLogPath);
  const state = await inspectDatabase(
    config.database,
    fileCheckpoints.map((cp) => ({ chain: cp.chain, seq: cp.size })),
  );
  refuseNewerSchema(config, state);
  // A restore is named first: it also explains a key of record the database no longer knows.
  const lost = checkpointsNotInDatabase(state, fileCheckpoints);
  if (lost.length && !options.acceptRestored) {
    const cp = lost[0];
    const head = state.heads.get(cp.chain) ?? 0;
    // The first study's chain is named as it was before many studies: "the database's audit chain".
    const of = cp.chain === FIRST_STUDY_ID ? '' : ` of the ${chainName(cp.chain)}`;
    const chain = cp.chain === FIRST_STUDY_ID ? 'audit chain' : chainName(cp.chain);
    const why =
      state.headSeq === 0
        ? `holds ${lost.length} signed checkpoints of an audit chain, but the database's chain is empty`
        : cp.size > head
          ? `holds a signed checkpoint${of} at entry ${cp.size}, but the database's ${chain} ends at entry ${head}`
          : `holds a signed checkpoint${of} at entry ${cp.size} whose head hash differs from the database's ${chain}`;
    throw new StartupError(
      `the database looks restored from a backup: the checkpoint file ${config.checkpointLogPath} ${why}; start with the newest database, or accept this one with \`blindrand audit reanchor --reason "..."\` (audited and signed); nothing was written`,
    );
  }
  const key = resolveKey(config, state, fileCheckpoints);
  if (!options.secondFactorKeyLost) checkSecondFactorKey(config, state);
  return { key, lostCheckpoints: lost };
}

/**
 * The second-factor key (second-factor-key.ts) must be the one that sealed the stored TOTP secrets. It is
 * created only while no account has one; else a missing, corrupt or other key stops the start, so the
 * server never runs unable to check a code (and never makes a new key over the old secrets).
 */
function checkSecondFactorKey(config: AppConfig, state: DatabaseState): void {
  const sealed = state.sealedSecondFactor;
  if (!sealed) return;
  const path = SecondFactorKey.pathFor(config.signingKeyPath);
  const held = `${state.secondFactors} account(s) have a second factor sealed with it`;
  if (!existsSync(path))
    throw new StartupError(
      `the second-factor key file ${path} is missing, but ${held}: restore it from your backup of the signing key's folder (a new key would refuse every code of those accounts), or if it is lost run \`blindrand user reset-second-factors --reason "..."\` (everyone enrols again); nothing was written`,
    );
  let key: SecondFactorKey;
  try {
    key = SecondFactorKey.load(path);
  } catch (err) {
    throw new StartupError(
      `${(err as Error).message}, and ${held}: restore it from your backup, or if it is lost run \`blindrand user reset-second-factors --reason "..."\`; nothing was written`,
    );
  }
  if (!key.open(sealed.secretSealed, sealed.userId))
    throw new StartupError(
      `the second-factor key file ${path} is not the key that sealed this database's second factors (${held}): restore the right key file, or if it is lost run \`blindrand user reset-second-factors --reason "..."\`; nothing was written`,
    );
}

/** A database a newer release migrated (downgrading the code): refused before anything runs on it. */
function refuseNewerSchema(config: AppConfig, state: DatabaseState): void {
  const known = new Set(STEPS.map((s) => s.name));
  const unknown = state.migrations.filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  const where =
    config.database.dialect === 'sqlite' ? `the database file ${config.database.path}` : 'the PostgreSQL database';
  throw new StartupError(
    `${where} was migrated by a newer release of blindrand (${unknown.length} migration(s) this release does not know, first ${unknown.sort()[0]}): run that release or a newer one, or restore the backup taken before the upgrade; nothing was written`,
  );
}

/** A full disk is refused at start: every write would fail while health said ok. */
function checkFreeSpace(config: AppConfig): void {
  if (config.minFreeDiskBytes === 0) return;
  const places = [config.signingKeyPath, config.checkpointLogPath];
  if (config.database.dialect === 'sqlite') places.unshift(config.database.path);
  for (const place of places) {
    const folder = existingFolder(place);
    let free: number;
    try {
      const s = statfsSync(folder);
      free = Number(s.bavail) * Number(s.bsize);
    } catch {
      continue; // no statfs here: the write path still reports a full disk as 503
    }
    if (free < config.minFreeDiskBytes) {
      throw new StartupError(
        `the disk holding ${place} is full (${Math.floor(free / 1024)} KiB free, MIN_FREE_DISK_MB asks for ${Math.ceil(config.minFreeDiskBytes / 1048576)} MiB): free some space; nothing was written`,
      );
    }
  }
}

/**
 * The checkpoint file (checkpoint-file.ts reads it). A torn or unreadable line stops the start with
 * the file and line number: the operator repairs it (the CLI keeps the bad lines aside) before the
 * server appends again, so no damaged line is ever left behind a running server.
 */
function readCheckpointLines(path: string): FileCheckpoint[] {
  let file;
  try {
    file = readCheckpointFileDetailed(path, null);
  } catch (err) {
    throw new StartupError(`cannot read the checkpoint file ${path}: ${(err as Error).message}`);
  }
  const bad = file.bad[0];
  if (bad) {
    const what = bad.torn ? `a torn last line ${bad.line} (a write cut short)` : `an unreadable line ${bad.line}`;
    throw new StartupError(
      `the checkpoint file ${path} has ${what}: move it aside with \`blindrand audit repair-checkpoint-file\` (it keeps a copy); nothing was written`,
    );
  }
  return file.checkpoints.map((cp) => {
    const { chain, ...view } = cp as CheckpointView & { chain?: ChainId };
    return { ...view, chain: chain ?? FIRST_STUDY_ID };
  });
}

/** The first study's chain is named first (the one chain of a database before many studies), then 0, 2, 3... */
const order = (chain: ChainId): number => (chain === FIRST_STUDY_ID ? -1 : chain);

function chainName(chain: ChainId): string {
  return chain === INSTANCE_CHAIN ? 'instance chain (0)' : `audit chain ${chain}`;
}

function resolveKey(config: AppConfig, state: DatabaseState, fileCheckpoints: CheckpointView[]): SigningKey {
  const path = config.signingKeyPath;
  if (!existsSync(path)) {
    if (state.headSeq > 0 || state.checkpoints > 0 || state.signatures > 0 || fileCheckpoints.length > 0) {
      const held = `${state.headSeq} audit entries, ${state.checkpoints} signed checkpoints and ${state.signatures} signatures`;
      throw new StartupError(
        `the signing key file ${path} is missing, but the database holds ${held}: restore the key file from your backup (a new key would make every earlier checkpoint and signature read as forged); nothing was written`,
      );
    }
    return SigningKey.create(path);
  }
  let key: SigningKey;
  try {
    key = SigningKey.load(path);
  } catch (err) {
    if (err instanceof KeyFileError) throw new StartupError(`${err.message}; nothing was written`);
    throw err;
  }
  const expected =
    state.newestRotationKey ??
    state.newestCheckpointKey ??
    fileCheckpoints[fileCheckpoints.length - 1]?.publicKey ??
    null;
  if (expected && expected !== key.publicKeyBase64) {
    const next = `${path}.next`;
    if (existsSync(next) && safeLoad(next)?.publicKeyBase64 === expected) {
      throw new StartupError(
        `a key rotation was interrupted after it was recorded: the key of record is in ${next}; move the signing key file ${path} aside and rename ${next} to it; nothing was written`,
      );
    }
    throw new StartupError(
      `the signing key file ${path} is not the key that signed this database's checkpoints (public key ${short(key.publicKeyBase64)}, expected ${short(expected)}): restore the right key file; nothing was written`,
    );
  }
  return key;
}

function safeLoad(path: string): SigningKey | null {
  try {
    return SigningKey.load(path);
  } catch {
    return null;
  }
}

/** File checkpoints the database contradicts: beyond its head, or with another hash at that entry. */
function checkpointsNotInDatabase(state: DatabaseState, fileCheckpoints: FileCheckpoint[]): FileCheckpoint[] {
  return fileCheckpoints
    .filter(
      (cp) =>
        cp.size > (state.heads.get(cp.chain) ?? 0) || state.hashes.get(positionKey(cp.chain, cp.size)) !== cp.headHash,
    )
    .sort((a, b) => order(a.chain) - order(b.chain) || a.size - b.size);
}

/** The last 12 characters of a base64 key: enough to tell two keys apart in a message. */
function short(publicKey: string): string {
  return `…${publicKey.slice(-12)}`;
}

function existingFolder(path: string): string {
  let p = dirname(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
