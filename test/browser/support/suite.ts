/**
 * What every browser test file sets up: its own server on a fresh database and its own Chromium,
 * both stopped after the file, an API client for preparing data, and the tabs a test opens, closed
 * after each test so that no session leaks into the next one.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Api } from './api.js';
import { launchBrowser, signIn, type BrowserHandle } from './browser.js';
import { startServer, type RunningServer } from './server.js';

export interface BrowserSuite {
  /** Set in beforeAll: read them inside hooks and tests, not at the top of the file. */
  server: RunningServer;
  browser: BrowserHandle;
  api: Api;
  /** A new tab signed in as `username` through the form; closed after the test. */
  as: (username: string) => Promise<Page>;
  /** Closes a tab the test opened itself after the test; returns it. */
  track: (page: Page) => Page;
}

/** Registers the file's hooks; call it at the top level of a test file, before its own beforeAll. */
export function browserSuite(options: Parameters<typeof startServer>[0] = {}): BrowserSuite {
  const pages: Page[] = [];
  const suite = {
    as: async (username: string) =>
      suite.track(await signIn(suite.browser.context, suite.server.baseUrl, username, suite.server.password)),
    track: (page: Page) => {
      pages.push(page);
      return page;
    },
  } as BrowserSuite;

  beforeAll(async () => {
    suite.server = await startServer(options);
    suite.browser = await launchBrowser();
    suite.api = new Api(suite.server.baseUrl, suite.server.password);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close().catch(() => undefined);
  });
  return suite;
}
