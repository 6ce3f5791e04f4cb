import type { Ddl } from './ddl.js';

/**
 * Salted commitments (issue 11): each scheme keeps a secret 256-bit salt, hashed into its
 * fingerprint and seed commitment and released with the seed at end-of-study unblinding.
 * Existing schemes keep NULL: their fingerprints are already published, signed (activation,
 * lock, unblinding) and chained in the audit trail, so they are not rewritten; they stay
 * verifiable by the legacy unsalted formula, and a legacy *draft* can no longer be activated
 * (it must be generated again, which salts it).
 */
export function schemeSalt(_t: Ddl): string[] {
  return ['ALTER TABLE schemes ADD COLUMN salt VARCHAR(64)'];
}

export function schemeSaltDown(_t: Ddl): string[] {
  return ['ALTER TABLE schemes DROP COLUMN salt'];
}
