#!/usr/bin/env node
// Writes dist/release-manifest.json: the SHA-256 of every file of the installed build (server,
// shared code, console, entry scripts, package.json). Installation qualification
// (server/src/modules/qualification/release-manifest.ts) re-hashes them on the running instance
// and fails on any changed, missing or unlisted file. Run by `npm run build` and by `npm start`
// after it builds; the format is mirrored there.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MANIFEST_ROOTS = ['dist/server', 'dist/shared', 'console/dist', 'server/bin', 'package.json'];

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function walk(root, path, out) {
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

export function buildManifest(root = defaultRoot) {
  const paths = [];
  for (const r of MANIFEST_ROOTS) walk(root, r, paths);
  paths.sort();
  const files = {};
  for (const p of paths)
    files[p] = createHash('sha256')
      .update(readFileSync(join(root, p)))
      .digest('hex');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return {
    format: 'blindrand-release-manifest/1',
    name: pkg.name,
    version: pkg.version,
    builtAt: new Date().toISOString(),
    files,
  };
}

export function writeManifest(root = defaultRoot, out = join(root, 'dist', 'release-manifest.json')) {
  const manifest = buildManifest(root);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(manifest, null, 1)}\n`);
  return { out: relative(process.cwd(), out) || out, count: Object.keys(manifest.files).length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { out, count } = writeManifest(defaultRoot, process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.error(`[blindrand] release manifest: ${count} files in ${out}`);
}
