import type { Ddl } from './ddl.js';

/**
 * The record of signing-key rotations (`blindrand key rotate`). Public keys only: the private keys
 * stay in files. Each row is signed twice — by the retiring key (it hands over to the new one) and by
 * the new key (it vouches for the old one and its range) — so someone with database access alone
 * cannot add a key: a verifier that trusts today's key walks back through rows it can check.
 */
export function signingKeys(t: Ddl): string[] {
  return [
    `CREATE TABLE signing_keys (
      id INTEGER PRIMARY KEY,
      public_key TEXT NOT NULL UNIQUE,
      previous_key TEXT NOT NULL,
      previous_last_size INTEGER NOT NULL,
      at ${t.ts} NOT NULL,
      handover_signature TEXT NOT NULL,
      succession_signature TEXT NOT NULL)`,
  ];
}
