/** The archive's own ustar writer and reader: what it writes, the system's tar reads, long paths included. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarBytes, untar } from '../../server/src/cli/archive/ustar.js';

describe('ustar for study archives', () => {
  const long = `${'deep-folder/'.repeat(10)}a-file-whose-path-needs-the-prefix-field.csv`;
  const files = new Map<string, string | Buffer>([
    ['README.md', '# Archive\n'],
    ['audit/chain.jsonl', '{"seq":1}\n'.repeat(100)],
    [long, 'é,ü\n'],
    ['exact-block.bin', Buffer.alloc(512, 7)],
  ]);

  it('round-trips files, and the system tar extracts the same bytes, a path over 100 bytes included [ARCH-002]', () => {
    expect(long.length).toBeGreaterThan(100);
    const bytes = tarBytes('STUDY-1', files, 0);
    expect(bytes.length % 512).toBe(0);
    const back = untar(bytes);
    expect([...back.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [path, content] of files) expect(back.get(path)!.equals(Buffer.from(content))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'blindrand-ustar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), bytes);
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      for (const [path, content] of files)
        expect(readFileSync(join(dir, 'STUDY-1', path)).equals(Buffer.from(content))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
