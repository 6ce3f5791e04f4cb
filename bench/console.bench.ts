/**
 * B5 — the console: the initial JavaScript a browser must download (gzip) before the first page can
 * render, and the time to first render on localhost in Debian's Chromium (served by the real server,
 * one process, one port). Prints figures; asserts nothing.
 * Run: npx tsc -p tsconfig.json && node dist/bench/console.bench.js [runs]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/browser/support/browser.js';
import { ROOT, ensureConsoleBuilt, startServer } from '../test/browser/support/server.js';
import { machine, percentile } from './support.js';

const runs = Number(process.argv[2] ?? 15);
const dist = join(ROOT, 'console', 'dist');

// ---- initial JavaScript: the entry script and the chunks index.html preloads (of a fresh production build)
process.env.REBUILD_CONSOLE = '1';
ensureConsoleBuilt();
delete process.env.REBUILD_CONSOLE;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map(
  (m) => m[1],
);
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const raw = (file: string) => readFileSync(join(dist, file)).length;
const allJs = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`);
const css = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.css'))
  .map((f) => `assets/${f}`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const sum = (files: string[], f: (x: string) => number) => files.reduce((s, x) => s + f(x), 0);

process.stdout.write(`console bench: ${machine()}\n`);
process.stdout.write(
  `initial JS (${initial.length} files: ${initial.join(', ')}): ${kb(sum(initial, raw))} raw, ${kb(sum(initial, gz))} gzip\n`,
);
process.stdout.write(`initial CSS: ${kb(sum(css, raw))} raw, ${kb(sum(css, gz))} gzip\n`);
process.stdout.write(
  `all JS chunks (${allJs.length}, loaded per page on demand): ${kb(sum(allJs, raw))} raw, ${kb(sum(allJs, gz))} gzip\n`,
);

// ---- time to first render, in Chromium against the real server on localhost
const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});

/** Records when a selector first appears, from a MutationObserver installed before any script runs. */
const observe = (selector: string) => `
  (() => {
    const mark = () => { if (!window.__rendered && document.querySelector(${JSON.stringify(selector)})) { window.__rendered = performance.now(); } };
    new MutationObserver(mark).observe(document, { childList: true, subtree: true });
  })();`;

async function measure(path: string, selector: string, session?: string): Promise<{ render: number; fcp: number }> {
  const context = await browser.newContext(); // fresh cache: a cold load each time
  if (session) await context.addInitScript(`sessionStorage.setItem('blindrand.session', ${JSON.stringify(session)});`);
  await context.addInitScript(observe(selector));
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}${path}`);
  await page.waitForSelector(selector);
  const { render, fcp } = await page.evaluate(() => ({
    render: (window as unknown as { __rendered: number }).__rendered,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  }));
  await context.close();
  return { render, fcp };
}

try {
  const login = (await (
    await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'auditor', password: server.password }),
    })
  ).json()) as { accessToken: string; user: unknown; expiresAt: string };
  const session = JSON.stringify({ token: login.accessToken, user: login.user, expiresAt: login.expiresAt });
  const cases: Array<[string, string, string, string | undefined]> = [
    ['sign-in page (form rendered)', '/sign-in', 'form.signin-card', undefined],
    [
      'auditor: audit trail (first page of entries rendered)',
      '/audit',
      '[data-testid="audit-table"] tbody tr',
      session,
    ],
  ];
  await measure('/sign-in', 'form.signin-card'); // warm the server's file cache
  process.stdout.write(`time to first render, ${runs} cold loads each (fresh browser context), median / p90 ms:\n`);
  for (const [label, path, selector, s] of cases) {
    const renders: number[] = [];
    const fcps: number[] = [];
    for (let i = 0; i < runs; i++) {
      const m = await measure(path, selector, s);
      renders.push(m.render);
      fcps.push(m.fcp);
    }
    renders.sort((a, b) => a - b);
    fcps.sort((a, b) => a - b);
    process.stdout.write(
      `  ${label.padEnd(56)} rendered ${percentile(renders, 50).toFixed(0).padStart(5)} / ${percentile(renders, 90).toFixed(0).padStart(5)}   first contentful paint ${percentile(fcps, 50).toFixed(0).padStart(5)} / ${percentile(fcps, 90).toFixed(0).padStart(5)}\n`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
