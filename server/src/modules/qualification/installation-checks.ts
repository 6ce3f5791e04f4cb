/**
 * Installation qualification: facts read from the running instance itself (not from its
 * configuration file) — the build against its release manifest, the durability settings of the live
 * database connection, the signing key file, the clock against the database server's, backups, TLS,
 * and the audit chain of record. Each check returns what was expected, what was observed, pass/fail.
 *
 * "Safe" for the signing key file (docs/VALIDATION.md): it exists and is the key of record; it is
 * readable by its owner only (no group or other permission bits: mode 0600 or 0400) and owned by the
 * user running the server; it is not inside a folder the server publishes (console/dist) and is not
 * the database or one of its files. Beside the database file (the default) is allowed: the key is a
 * separate file that backups of the database must not carry (docs/DEPLOYMENT.md).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { type AppConfig } from '../../config/config.js';
import { PACKAGE_ROOT } from '../../config/package-root.js';
import type { Clock } from '../../common/clock.js';
import type { DatabaseService } from '../../database/database.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { SigningKey, publicKeyBase64 } from '../../database/audit/signing-key.js';
import { argon2Profile, argon2ProfileNotice } from '../auth/argon2-profile.js';
import { totpReplayNotice, totpReplayPolicy } from '../auth/totp-replay.js';
import { compareWithManifest, readManifest } from './release-manifest.js';
import type { CheckResult } from './report.js';
import { QUAL } from './requirements.js';
import { checkText } from './texts.js';
import type { Locale } from '../../../../shared/i18n/catalogue.js';

/** The largest accepted difference between the server's clock and the database server's. */
const MAX_CLOCK_SKEW_MS = 2000;

export interface InstallationDeps {
  config: AppConfig;
  db: DatabaseService;
  key: SigningKey;
  clock: Clock;
  audit: AuditService;
  version: string;
  locale: Locale;
}

type Observation = { observed: string; pass: boolean };

function checkIn(
  locale: Locale,
  id: string,
  requirements: string[],
  run: () => Promise<Observation> | Observation,
): Promise<CheckResult> {
  const texts = checkText(id, locale);
  return Promise.resolve()
    .then(run)
    .catch((err: Error): Observation => ({ observed: `error: ${err.message.split('\n')[0]}`, pass: false }))
    .then((o) => ({ id, stage: 'installation' as const, requirements, ...texts, observed: o.observed, pass: o.pass }));
}

export async function installationChecks(deps: InstallationDeps): Promise<CheckResult[]> {
  const { config } = deps;
  const check = (id: string, requirements: string[], run: () => Promise<Observation> | Observation) =>
    checkIn(deps.locale, id, requirements, run);
  return [
    await check('IQ-VERSION', [QUAL.build], () => {
      const manifest = readManifest(config.qualification.releaseManifestPath);
      // The build as it runs includes its password-hashing cost and its TOTP replay rule: a test-only switch fails the installation.
      const notices = [argon2ProfileNotice(), totpReplayNotice()].filter((n) => n !== null);
      const observed = `running ${deps.version}; manifest ${manifest.name} ${manifest.version} built ${manifest.builtAt}${notices.map((n) => `; ${n}`).join('')}`;
      const testSwitch = argon2Profile().name !== 'production' || totpReplayPolicy().allowReplay;
      return { observed, pass: manifest.version === deps.version && !testSwitch };
    }),
    await check('IQ-CHECKSUMS', [QUAL.build], () => {
      const c = compareWithManifest(PACKAGE_ROOT, readManifest(config.qualification.releaseManifestPath));
      const problems = [
        ...c.changed.map((p) => `changed ${p}`),
        ...c.missing.map((p) => `missing ${p}`),
        ...c.unlisted.map((p) => `not in the manifest ${p}`),
      ];
      const shown =
        problems.slice(0, 10).join('; ') + (problems.length > 10 ? `; and ${problems.length - 10} more` : '');
      return {
        observed: problems.length
          ? `${c.checked} files hashed; ${shown}`
          : `${c.checked} files hashed, every SHA-256 matches the manifest, no file added`,
        pass: problems.length === 0,
      };
    }),
    await check('IQ-DURABILITY', [QUAL.durability], async () => {
      const s = await deps.db.durabilitySettings();
      if (config.database.dialect === 'sqlite') {
        // PRAGMA synchronous reads back 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
        const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
        const sync = Number(s.synchronous);
        return {
          observed: `journal_mode=${s.journal_mode}, synchronous=${names[sync] ?? s.synchronous}`,
          pass: s.journal_mode.toLowerCase() === 'wal' && sync >= 2,
        };
      }
      const durableCommit = ['on', 'remote_apply', 'remote_write', 'local'].includes(s.synchronous_commit);
      return {
        observed: `fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, full_page_writes=${s.full_page_writes}`,
        pass: s.fsync === 'on' && durableCommit && s.full_page_writes === 'on',
      };
    }),
    await check('IQ-KEY-PRESENT', [QUAL.key], () => {
      const onDisk = SigningKey.load(config.signingKeyPath);
      const same = onDisk.publicKeyBase64 === publicKeyBase64(deps.key.publicKey);
      return {
        observed: same
          ? `${config.signingKeyPath}: an Ed25519 key, the key the server signs with`
          : `${config.signingKeyPath} holds another key than the one the server signs with`,
        pass: same,
      };
    }),
    await check('IQ-KEY-PERMISSIONS', [QUAL.key], () => {
      const st = statSync(config.signingKeyPath);
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      const owner = typeof process.getuid === 'function' ? process.getuid() : st.uid;
      const ok = (st.mode & 0o077) === 0 && st.uid === owner;
      return {
        observed: `mode ${mode}, owner uid ${st.uid}${st.uid === owner ? ' (the server user)' : ` (the server runs as ${owner})`}`,
        pass: ok,
      };
    }),
    await check('IQ-KEY-LOCATION', [QUAL.key], () => keyLocation(config)),
    await check('IQ-CLOCK', [QUAL.clock], async () => {
      const before = Date.now();
      const dbTime = await deps.db.read(async (sql) => {
        const q =
          config.database.dialect === 'sqlite'
            ? "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS t"
            : 'SELECT to_char(clock_timestamp() AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\') AS t';
        return String((await sql.one<Record<string, unknown>>(q))?.t);
      });
      const after = Date.now();
      // The server's clock at the middle of the round trip, as the application sees it (Clock).
      const server = deps.clock.now().getTime() - (after - before) / 2;
      const skew = Math.round(Date.parse(dbTime) - server);
      return {
        observed: `database server ${dbTime}; difference ${skew} ms (limit ${MAX_CLOCK_SKEW_MS} ms)`,
        pass: Number.isFinite(skew) && Math.abs(skew) <= MAX_CLOCK_SKEW_MS,
      };
    }),
    await check('IQ-BACKUP', [QUAL.backup], () => backups(config)),
    await check('IQ-TLS', [QUAL.tls], () => tls(config)),
    await check('IQ-AUDIT-CHAIN', [QUAL.chain], async () => {
      // Every study's chain (one per study, docs/MULTI-STUDY.md decision 4).
      const chains = await deps.audit.verifyEveryChain();
      const named = chains.length > 1;
      const parts = chains.map(({ studyCode, result: v }) =>
        v.valid
          ? `${named ? `${studyCode}: ` : ''}${v.count} entries, chain and signed checkpoints valid`
          : `${named ? `${studyCode}: ` : ''}invalid from entry ${v.firstInvalidSeq}`,
      );
      return { observed: parts.join('; '), pass: chains.every((c) => c.result.valid) };
    }),
  ];
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function keyLocation(config: AppConfig): Observation {
  const key = real(config.signingKeyPath);
  const problems: string[] = [];
  const served = real(join(PACKAGE_ROOT, 'console', 'dist'));
  if (inside(served, key)) problems.push(`inside the folder the server publishes (${served})`);
  if (config.database.dialect === 'sqlite') {
    const db = real(config.database.path);
    if ([db, `${db}-wal`, `${db}-shm`, `${db}-journal`].includes(key)) problems.push('it is the database file');
  }
  if (problems.length) return { observed: `${key}: ${problems.join('; ')}`, pass: false };
  const beside = config.database.dialect === 'sqlite' && dirname(real(config.database.path)) === dirname(key);
  return {
    observed: `${key}: outside the database and the published folder${beside ? ' (beside the database file: back it up separately)' : ''}`,
    pass: true,
  };
}

export function backups(config: AppConfig): Observation {
  const dir = config.qualification.backupDir;
  if (!dir) return { observed: 'BACKUP_DIR is not set: no backup destination declared', pass: false };
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { observed: `BACKUP_DIR ${dir} does not exist`, pass: false };
  if (config.database.dialect === 'sqlite' && inside(real(dirname(config.database.path)), real(dir)))
    return {
      observed: `BACKUP_DIR ${dir} is inside the database folder: a lost disk loses the backups too`,
      pass: false,
    };
  let newest = 0;
  let name = '';
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const m = statSync(join(dir, e.name)).mtimeMs;
    if (m > newest) [newest, name] = [m, e.name];
  }
  if (!newest) return { observed: `BACKUP_DIR ${dir} holds no backup file`, pass: false };
  const rawAgeMs = Date.now() - newest;
  // A file stamped up to a minute ahead is the file system's timestamp rounding, not a clock problem: age 0.
  // Further ahead means this machine's clock and the backup's disagree, which a sponsor must look at.
  if (rawAgeMs < -60_000)
    return {
      observed: `newest backup ${name} is dated ${(-rawAgeMs / 3_600_000).toFixed(1)} h in the future: check the clocks`,
      pass: false,
    };
  const ageHours = Math.max(0, rawAgeMs) / 3_600_000;
  const limit = config.qualification.backupMaxAgeHours;
  return {
    observed: `newest backup ${name}, ${ageHours.toFixed(1)} h old (limit ${limit} h)`,
    pass: ageHours <= limit,
  };
}

export function tls(config: AppConfig): Observation {
  let url: URL;
  try {
    url = new URL(config.publicUrl);
  } catch {
    return { observed: `PUBLIC_URL ${config.publicUrl} is not a URL`, pass: false };
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:') return { observed: `PUBLIC_URL ${config.publicUrl} (https)`, pass: true };
  if (local) return { observed: `PUBLIC_URL ${config.publicUrl}: served on this machine only`, pass: true };
  if (config.qualification.tlsTerminatedByProxy)
    return {
      observed: `PUBLIC_URL ${config.publicUrl}; TLS_TERMINATED_BY_PROXY=true declares a TLS-terminating proxy`,
      pass: true,
    };
  return {
    observed: `PUBLIC_URL ${config.publicUrl} is plain http on a network address and no TLS-terminating proxy is declared`,
    pass: false,
  };
}
