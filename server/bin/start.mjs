#!/usr/bin/env node
// `npm start`: build what is missing, then migrate and serve (server/src/main.ts).
import { ensureServerBuild, ensureConsoleBuild, root, SERVER_ENTRY } from './ensure-build.mjs';
import { existsSync, statSync } from 'node:fs';
import { writeManifest } from './release-manifest.mjs';
import { join } from 'node:path';

ensureServerBuild();
if (existsSync(join(root, 'console', 'vite.config.ts'))) ensureConsoleBuild();
// The release manifest records the build as built (installation qualification compares against it):
// written when missing or older than the build, never over a build that only had a file edited.
const manifest = join(root, 'dist', 'release-manifest.json');
const builds = [join(root, 'dist', '.tsbuildinfo'), SERVER_ENTRY, join(root, 'console', 'dist', 'index.html')].filter(
  (f) => existsSync(f),
);
if (!existsSync(manifest) || builds.some((f) => statSync(f).mtimeMs > statSync(manifest).mtimeMs)) {
  const { count } = writeManifest(root);
  console.error(`[blindrand] release manifest written: ${count} files (dist/release-manifest.json)`);
}
await import(SERVER_ENTRY);
