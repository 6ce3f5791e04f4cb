/**
 * Configuration from the environment, validated once at boot. A bad value is reported as one
 * clear line (ConfigError) and main.ts exits with code 1 — never a stack trace.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isLocale, LOCALES, type Locale } from '../../../shared/i18n/catalogue.js';
import { oidcConfig, type OidcConfig } from './oidc-config.js';
import { PACKAGE_ROOT } from './package-root.js';

export type DatabaseConfig =
  | { dialect: 'sqlite'; path: string; busyTimeoutMs: number; synchronous: SqliteSynchronous }
  | { dialect: 'postgres'; url: string };

/** SQLite's `synchronous` pragma: FULL (default) survives power loss; NORMAL and OFF are allowed but fail qualification. */
const SQLITE_SYNCHRONOUS = ['FULL', 'NORMAL', 'OFF'] as const;
type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS)[number];

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Ed25519 key that signs audit checkpoints and electronic signatures; never stored in the database. */
  signingKeyPath: string;
  /** Append-only file of signed checkpoints, beside the key. */
  checkpointLogPath: string;
  checkpointEvery: number;
  protocolFile: string;
  demo: { enabled: boolean; password: string | null; studyStatus: 'active' | 'setup' };
  session: { idleSeconds: number; absoluteSeconds: number };
  lockoutThreshold: number;
  authThrottlePerMinute: number;
  bodyLimitBytes: number;
  smtpUrl: string | null;
  mailFrom: string;
  /** Where the console is reached (PUBLIC_URL), for links in e-mails; default http://localhost:PORT. */
  publicUrl: string;
  /** The e-mail outbox's poll interval and retry backoff (doubling from baseMs up to maxMs). */
  mailRetry: { pollMs: number; baseMs: number; maxMs: number };
  /** How often the server looks for unblinding requests to escalate and overdue access reviews (ESCALATION_CHECK_MS; tests use a few hundred ms). */
  escalationCheckMs: number;
  /** Days between two access reviews of a study (ACCESS_REVIEW_INTERVAL_DAYS, default 90); a reviewer may choose fewer. */
  accessReviewIntervalDays: number;
  /** Start-up refuses when less is free beside the database, key or checkpoint file (0: no check). */
  minFreeDiskBytes: number;
  /** The language of users whose profile and site name none (DEFAULT_LOCALE: en or fr; default en). */
  defaultLocale: Locale;
  /** What installation qualification checks (server/src/modules/qualification). */
  qualification: {
    /** Where the site's backups land (BACKUP_DIR); null: not declared, the backup check fails. */
    backupDir: string | null;
    /** The newest file in backupDir must be younger than this. */
    backupMaxAgeHours: number;
    /** TLS_TERMINATED_BY_PROXY: a proxy in front serves https although PUBLIC_URL says http. */
    tlsTerminatedByProxy: boolean;
    /** The release manifest of the installed build (RELEASE_MANIFEST_PATH, default dist/release-manifest.json). */
    releaseManifestPath: string;
  };
  /** Sign-in through the hospital's identity provider (OIDC_*); null: local accounts only. */
  oidc: OidcConfig | null;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function database(env: NodeJS.ProcessEnv): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)');
    }
    if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${parsed.protocol}//"`);
    }
    return { dialect: 'postgres', url };
  }
  const path = env.DATABASE_PATH || './data/blindrand.sqlite';
  const synchronous = (env.SQLITE_SYNCHRONOUS || 'FULL').toUpperCase();
  if (!(SQLITE_SYNCHRONOUS as readonly string[]).includes(synchronous))
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be FULL, NORMAL or OFF, got "${env.SQLITE_SYNCHRONOUS}"`);
  return {
    dialect: 'sqlite',
    path: isAbsolute(path) ? path : resolve(process.cwd(), path),
    busyTimeoutMs: int(env, 'SQLITE_BUSY_TIMEOUT_MS', 5000, 0, 600000),
    synchronous: synchronous as SqliteSynchronous,
  };
}

/** Reads and validates the whole configuration; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const db = database(env);
  const dataDir = db.dialect === 'sqlite' ? dirname(db.path) : resolve(process.cwd(), 'data');
  const signingKeyPath = env.SIGNING_KEY_PATH ? resolve(env.SIGNING_KEY_PATH) : join(dataDir, 'audit-signing.key');
  const studyStatus = env.DEMO_STUDY_STATUS || 'active';
  if (studyStatus !== 'active' && studyStatus !== 'setup')
    throw new ConfigError(`DEMO_STUDY_STATUS must be "active" or "setup", got "${studyStatus}"`);
  const demoPassword = env.DEMO_PASSWORD ?? null;
  if (demoPassword !== null && demoPassword.length < 8)
    throw new ConfigError('DEMO_PASSWORD must be at least 8 characters');
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${smtpUrl}"`);
  const defaultLocale = (env.DEFAULT_LOCALE || 'en').trim().toLowerCase();
  if (!isLocale(defaultLocale))
    throw new ConfigError(`DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}, got "${env.DEFAULT_LOCALE}"`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    database: db,
    signingKeyPath,
    checkpointLogPath: env.CHECKPOINT_LOG_PATH
      ? resolve(env.CHECKPOINT_LOG_PATH)
      : join(dirname(signingKeyPath), 'audit-checkpoints.jsonl'),
    checkpointEvery: int(env, 'CHECKPOINT_EVERY', 100, 1, 1_000_000),
    protocolFile: resolve(env.PROTOCOL_FILE || join(PACKAGE_ROOT, 'protocols', 'msct-ms.yaml')),
    demo: { enabled: bool(env, 'DEMO', true), password: demoPassword, studyStatus },
    session: {
      idleSeconds: int(env, 'SESSION_IDLE_SECONDS', 1800, 60, 86400),
      absoluteSeconds: int(env, 'SESSION_MAX_SECONDS', 43200, 60, 604800),
    },
    lockoutThreshold: int(env, 'LOCKOUT_THRESHOLD', 5, 1, 100),
    authThrottlePerMinute: int(env, 'AUTH_THROTTLE_PER_MINUTE', 30, 1, 100000),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'blindrand <no-reply@blindrand.local>',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, ''),
    mailRetry: {
      pollMs: int(env, 'MAIL_POLL_MS', 5000, 50, 3_600_000),
      baseMs: int(env, 'MAIL_RETRY_BASE_MS', 2000, 10, 3_600_000),
      maxMs: int(env, 'MAIL_RETRY_MAX_MS', 300_000, 10, 86_400_000),
    },
    escalationCheckMs: int(env, 'ESCALATION_CHECK_MS', 30_000, 100, 3_600_000),
    accessReviewIntervalDays: int(env, 'ACCESS_REVIEW_INTERVAL_DAYS', 90, 1, 366),
    minFreeDiskBytes: int(env, 'MIN_FREE_DISK_MB', 1, 0, 1_000_000) * 1024 * 1024,
    defaultLocale,
    qualification: {
      backupDir: env.BACKUP_DIR ? resolve(env.BACKUP_DIR) : null,
      backupMaxAgeHours: int(env, 'BACKUP_MAX_AGE_HOURS', 26, 1, 24 * 366),
      tlsTerminatedByProxy: bool(env, 'TLS_TERMINATED_BY_PROXY', false),
      releaseManifestPath: resolve(env.RELEASE_MANIFEST_PATH || join(PACKAGE_ROOT, 'dist', 'release-manifest.json')),
    },
    oidc: oidcConfig(env, (message) => new ConfigError(message)),
  };
}
