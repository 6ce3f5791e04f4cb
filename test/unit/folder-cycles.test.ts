/**
 * The import check (`npm run deps`, test/lint/folder-cycles.mjs) must be able to fail: on a
 * throwaway tree it reports a cycle between two feature folders (made of files that form no
 * file-level cycle) and a common/ file importing a feature, and passes the same tree once fixed.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const script = join(process.cwd(), 'test', 'lint', 'folder-cycles.mjs');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deps-check-'));
  const all = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('import check', () => {
  const base = {
    'server/src/common/clock.ts': 'export const now = (): number => Date.now();\n',
    'server/src/modules/study/study.ts':
      "import { now } from '../../common/clock.js';\nexport const study = (): number => now();\n",
    'server/src/modules/participants/records.ts': 'export const record = (): number => 1;\n',
    'server/src/modules/participants/participants.ts':
      "import { study } from '../study/study.js';\nexport const participant = (): number => study();\n",
  };

  it('fails listing a cycle between folders and a common/ file that imports a feature', () => {
    const dir = tree({
      ...base,
      // study → participants/records while participants/participants → study: no file cycle, a folder cycle.
      'server/src/modules/study/study.ts':
        "import { now } from '../../common/clock.js';\nimport { record } from '../participants/records.js';\nexport const study = (): number => now() + record();\n",
      'server/src/common/guard.ts':
        "import { study } from '../modules/study/study.js';\nexport const guard = (): number => study();\n",
    });
    try {
      const { status, out } = check(dir);
      expect(status).toBe(1);
      expect(out).toContain(
        'folder cycle: server/src/common ↔ server/src/modules/participants ↔ server/src/modules/study',
      );
      expect(out).toContain('server/src/modules/study → server/src/modules/participants');
      expect(out).toContain('common-is-foundation: server/src/common/guard.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The same tree without them, as dependency-cruiser reports it (saved JSON: no second cruise, which costs seconds).
  it('passes the same tree without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deps-check-'));
    const mod = (source: string, deps: string[]) => ({
      source,
      dependencies: deps.map((resolved) => ({ resolved, dependencyTypes: ['local'] })),
    });
    const cruise = {
      modules: [
        mod('server/src/common/clock.ts', []),
        mod('server/src/modules/study/study.ts', ['server/src/common/clock.ts']),
        mod('server/src/modules/participants/records.ts', []),
        mod('server/src/modules/participants/participants.ts', [
          'server/src/modules/study/study.ts',
          'server/src/modules/participants/records.ts',
        ]),
      ],
      summary: { violations: [], totalCruised: 4 },
    };
    writeFileSync(join(dir, 'cruise.json'), JSON.stringify(cruise));
    try {
      const r = spawnSync(process.execPath, [script, '--json', join(dir, 'cruise.json')], { encoding: 'utf8' });
      expect(r.stdout).toContain('no import cycle');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
