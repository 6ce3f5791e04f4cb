/**
 * Where the installed blindrand lives, found from this file's own location: the nearest directory above
 * it whose package.json names blindrand. The same answer whether this code runs from tsc's output
 * (dist/server/src/config/) or from the bundle (dist/server/bundle/), so no module counts levels.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'blindrand')
      return dir;
    if (dirname(dir) === dir) throw new Error(`no blindrand package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The version in the installed package.json (the CLI's --version, the archive and the UAT scripts' headers). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
