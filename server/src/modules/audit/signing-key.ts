/**
 * The Ed25519 key that signs audit checkpoints and electronic-signature seals. It lives in a file
 * beside the database (created at first start, mode 0600), never in the database, so someone with
 * database access alone cannot forge a checkpoint.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class SigningKey {
  private constructor(private readonly privateKey: KeyObject, readonly publicKey: KeyObject) {}

  /** Loads the key file, creating it (and its folder) when absent. */
  static loadOrCreate(path: string): SigningKey {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    }
    return SigningKey.load(path);
  }

  static load(path: string): SigningKey {
    const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
    return new SigningKey(privateKey, createPublicKey(privateKey));
  }

  /** Base64 DER (SPKI) of the public key, as published with each checkpoint. */
  get publicKeyBase64(): string {
    return (this.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }
}
