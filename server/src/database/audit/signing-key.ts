/**
 * The Ed25519 key that signs audit checkpoints and electronic-signature seals. It lives in a file
 * beside the database (mode 0600), never in the database, so someone with database access alone
 * cannot forge a checkpoint. It is created only for an empty database (startup/startup-check.ts
 * decides): a key silently re-created over a chain would make every earlier checkpoint read forged.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** A key file that cannot be used; the message names the file and is one line. */
export class KeyFileError extends Error {}

export class SigningKey {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly path: string,
  ) {}

  /**
   * Creates the key file (and its folder) for an empty database. Written to a temporary file and
   * linked into place, so instances starting together never see a half-written key: the loser of
   * the race loads the winner's key.
   */
  static create(path: string): SigningKey {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new KeyFileError(`cannot create the signing key file ${path}: ${(err as Error).message}`);
    } finally {
      unlinkSync(temp);
    }
    return SigningKey.load(path);
  }

  /** Loads the key file; every failure is a KeyFileError naming the file. */
  static load(path: string): SigningKey {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new KeyFileError(`the signing key file ${path} does not exist`);
      throw new KeyFileError(`the signing key file ${path} cannot be read (${code ?? (err as Error).message})`);
    }
    if (pem.trim() === '')
      throw new KeyFileError(`the signing key file ${path} is empty: restore it from your backup of the key`);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new KeyFileError(
        `the signing key file ${path} is corrupt: it is not a PEM private key (restore it from your backup of the key)`,
      );
    }
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new KeyFileError(
        `the signing key file ${path} holds a ${privateKey.asymmetricKeyType} key, not an Ed25519 key`,
      );
    return new SigningKey(privateKey, createPublicKey(privateKey), path);
  }

  /** Base64 DER (SPKI) of the public key, as published with each checkpoint. */
  get publicKeyBase64(): string {
    return publicKeyBase64(this.publicKey);
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }
}

export function publicKeyBase64(key: KeyObject): string {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
}
