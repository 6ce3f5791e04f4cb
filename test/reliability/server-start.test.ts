/**
 * The test support's server start (test/support/server-process.ts) trusts only its own server: test files run side
 * by side, and a port chosen free can be taken by another file's server before this one binds it. Health answered
 * on the port is then someone else's; a test that went on would talk to another database (seen once in CI: a
 * patient "not found" on the second of three instances, a lockout that never came).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.js';
import { startServer } from '../support/server-process.js';
import { DEMO_PASSWORD } from '../support/test-app.js';

describe('starting a test server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-start-'));
  let foreign: Server | undefined;
  afterAll(() => {
    foreign?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a port where another server answers healthy, instead of taking it for its own', async () => {
    const port = await freePort();
    foreign = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    await new Promise<void>((resolve) => foreign!.listen(port, '127.0.0.1', resolve));
    const env = { DATABASE_PATH: join(dir, 'db.sqlite'), DEMO_PASSWORD };
    await expect(startServer(env, port)).rejects.toThrow(/taken by another process/);
  });
});
