/**
 * The browser tier's globalTeardown: closes the Chromium its test files shared (browser.ts). With
 * --runInBand the files ran in this process; a Jest worker's Chromium ends with the worker.
 */
import { closeSharedChromium } from './browser.js';

export default async function teardown(): Promise<void> {
  await closeSharedChromium();
}
