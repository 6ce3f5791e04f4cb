/**
 * Jest globalSetup of the api and reliability projects: an empty folder for this run's template
 * databases (template-db.ts), named in the environment the workers inherit. Its teardown removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATES_ENV, dropTemplates } from './template-db.js';

/** The folder this process made (the api and reliability projects of one run share it). */
let owned: string | null = null;

export default async function setup(): Promise<void> {
  if (process.env[TEMPLATES_ENV]) return;
  owned = mkdtempSync(join(tmpdir(), 'blindrand-templates-'));
  process.env[TEMPLATES_ENV] = owned;
}

export async function teardown(): Promise<void> {
  const root = owned;
  if (!root) return;
  owned = null;
  delete process.env[TEMPLATES_ENV];
  try {
    if (process.env.PG_ADMIN_URL) await dropTemplates(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
