/**
 * The key that seals TOTP secrets and keys the recovery-code hashes. Like the audit signing key it
 * lives in a file beside the database (`second-factor.key` in the signing key's folder, mode 0600),
 * never in the database: someone who can read every table reads neither a TOTP secret nor anything
 * that lets them test recovery codes offline. Back it up with the signing key: without it the
 * enrolled accounts must enrol again (an administrator resets their second factor).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FORMAT = 'v1';

/** Case, spaces and dashes do not matter when a recovery code is typed. */
const normalizeRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

export class SecondFactorKey {
  private constructor(
    private readonly sealKey: Buffer,
    private readonly hashKey: Buffer,
  ) {}

  /** The key file's place: beside the audit signing key (the folder operators already back up). */
  static pathFor(signingKeyPath: string): string {
    return join(dirname(signingKeyPath), 'second-factor.key');
  }

  /**
   * Loads the key file, creating it first when it does not exist (linked into place: concurrent starts
   * agree). Start-up (startup/startup-check.ts) has already refused a missing file while any account has
   * a sealed secret, so creating one here never silently re-keys enrolled accounts.
   */
  static loadOrCreate(path: string): SecondFactorKey {
    let text: string | null = null;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === null) {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      try {
        linkSync(temp, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        unlinkSync(temp);
      }
    }
    return SecondFactorKey.load(path);
  }

  /** Loads an existing key file; throws (naming the file) when it is missing, unreadable or corrupt. */
  static load(path: string): SecondFactorKey {
    const master = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (master.length !== 32) throw new Error(`the second-factor key file ${path} is corrupt (not 32 base64 bytes)`);
    // Two keys from one file: one seals, one hashes (never the same key for two purposes).
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    return new SecondFactorKey(derive('blindrand totp secret seal'), derive('blindrand recovery code hash'));
  }

  /** AES-256-GCM; the user id is authenticated data, so a sealed secret copied onto another user does not open. */
  seal(secret: Buffer, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The secret, or null when the text was not sealed by this key for this user. */
  open(sealed: string, userId: string): Buffer | null {
    if (!sealed.startsWith(`${FORMAT}:`)) return null;
    try {
      const raw = Buffer.from(sealed.slice(FORMAT.length + 1), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(userId, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    } catch {
      return null;
    }
  }

  /** HMAC-SHA-256 of a recovery code (normalized), bound to its user. */
  hashRecoveryCode(code: string, userId: string): string {
    return createHmac('sha256', this.hashKey)
      .update(`${userId}\n${normalizeRecoveryCode(code)}`)
      .digest('hex');
  }
}
