/**
 * Compares the installed build with its release manifest (written at build time by
 * server/bin/release-manifest.mjs, whose format this mirrors): every listed file must exist with the
 * same SHA-256, and no file may have been added under the manifest's roots.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MANIFEST_ROOTS = ['dist/server', 'dist/shared', 'console/dist', 'server/bin', 'package.json'];

export interface ReleaseManifest {
  format: 'blindrand-release-manifest/1';
  name: string;
  version: string;
  builtAt: string;
  files: Record<string, string>;
}

export interface ManifestComparison {
  checked: number;
  changed: string[];
  missing: string[];
  unlisted: string[];
}

export function readManifest(path: string): ReleaseManifest {
  if (!existsSync(path))
    throw new Error(
      `no release manifest at ${path} (build with \`npm run build\`, or start with \`npm start\`, which writes it)`,
    );
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as ReleaseManifest;
  if (manifest.format !== 'blindrand-release-manifest/1' || typeof manifest.files !== 'object')
    throw new Error(`${path} is not a blindrand release manifest`);
  return manifest;
}

function walk(root: string, path: string, out: string[]): void {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    out.push(path);
    return;
  }
  for (const e of readdirSync(full, { withFileTypes: true })) {
    const child = `${path}/${e.name}`;
    if (e.isDirectory()) walk(root, child, out);
    else if (e.isFile()) out.push(child);
  }
}

export function compareWithManifest(root: string, manifest: ReleaseManifest): ManifestComparison {
  const result: ManifestComparison = { checked: 0, changed: [], missing: [], unlisted: [] };
  for (const [path, expected] of Object.entries(manifest.files)) {
    const full = join(root, path);
    if (!existsSync(full)) {
      result.missing.push(path);
      continue;
    }
    result.checked++;
    if (createHash('sha256').update(readFileSync(full)).digest('hex') !== expected) result.changed.push(path);
  }
  const present: string[] = [];
  for (const r of MANIFEST_ROOTS) walk(root, r, present);
  result.unlisted = present.filter((p) => !(p in manifest.files)).sort();
  return result;
}
