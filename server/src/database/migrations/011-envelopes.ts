import type { Ddl } from './ddl.js';

/**
 * Downtime envelopes (issue 17 item 4, docs/DOWNTIME.md). Each envelope owns one entry of the list,
 * taken from the tail of its stratum before activation, so the online list never reaches it. The
 * envelope's commitment (SHA-256 over a secret nonce and its content) is in the audit trail; the
 * nonce stays here and is never shown to a blinded role. `ordinal` is the envelope's place within
 * its site and stratum: envelopes are used in that order.
 */
export function envelopes(t: Ddl): string[] {
  return [
    `CREATE TABLE envelopes (
      id VARCHAR(36) PRIMARY KEY,
      scheme_id VARCHAR(36) NOT NULL REFERENCES schemes(id),
      number INTEGER NOT NULL,
      site_code VARCHAR(32) NOT NULL REFERENCES sites(code),
      stratum_key VARCHAR(200) NOT NULL,
      ordinal INTEGER NOT NULL,
      list_entry_id VARCHAR(36) NOT NULL UNIQUE REFERENCES list_entries(id),
      commitment CHAR(64) NOT NULL,
      nonce CHAR(64) NOT NULL,
      status VARCHAR(16) NOT NULL,
      reserved_by VARCHAR(64) NOT NULL,
      reserved_at ${t.ts} NOT NULL,
      reserve_signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id),
      print_count INTEGER NOT NULL DEFAULT 0,
      allocation_id VARCHAR(36) UNIQUE REFERENCES allocations(id),
      opened_at ${t.ts},
      opened_by VARCHAR(200),
      reconciled_by VARCHAR(64),
      reconciled_at ${t.ts},
      voided_by VARCHAR(64),
      voided_at ${t.ts},
      void_reason TEXT,
      void_signature_id VARCHAR(36) REFERENCES signatures(id),
      UNIQUE (scheme_id, number),
      UNIQUE (scheme_id, site_code, stratum_key, ordinal))`,
    'CREATE INDEX envelopes_stratum ON envelopes (scheme_id, stratum_key)',
  ];
}
