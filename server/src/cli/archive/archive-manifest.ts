/**
 * The archive's MANIFEST.sha256: one line per file, `<SHA-256 hex>  <relative path>`, sorted by path —
 * the format of GNU `sha256sum`, so `sha256sum -c MANIFEST.sha256` checks the files without blindrand.
 * MANIFEST.sha256.sig is a detached Ed25519 signature (64 raw bytes) over the manifest's bytes, made
 * with the instance's audit signing key; `openssl pkeyutl -verify -rawin` checks it with the public key.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';

export const sha256OfBytes = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The manifest text for these files (path → content). */
export function manifestText(files: Map<string, Buffer | string>): string {
  return [...files.keys()]
    .sort()
    .map((path) => `${sha256OfBytes(files.get(path)!)}  ${path}\n`)
    .join('');
}

/** The manifest's entries (path → hash) and the lines that are not manifest lines. */
export function parseManifest(text: string): { entries: Map<string, string>; bad: string[] } {
  const entries = new Map<string, string>();
  const bad: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m || entries.has(m[2])) bad.push(`line ${i + 1}`);
    else entries.set(m[2], m[1]);
  });
  return { entries, bad };
}

export function manifestSignatureValid(text: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return verify(null, text, key, signature);
  } catch {
    return false;
  }
}
