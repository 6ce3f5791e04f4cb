import type { Ddl } from './ddl.js';

/**
 * Issue 17, items 5–7. Safety unblindings (SUSAR reporting: the arm goes only to the protocol's designated
 * recipient), signed reports of inadvertent unblinding with the patients they concern, and nothing for the
 * end-of-study disclosure (it reads allocations and writes register rows). Only new tables: existing
 * databases upgrade in place; the register's `kind` column already takes the new kinds.
 */
export function safetyUnblinding(t: Ddl): string[] {
  return [
    `CREATE TABLE safety_unblindings (
      id VARCHAR(36) PRIMARY KEY,
      participant_id VARCHAR(36) NOT NULL REFERENCES participants(id),
      site_code VARCHAR(32) NOT NULL,
      reason TEXT NOT NULL,
      report_reference VARCHAR(100),
      recipient_kind VARCHAR(16) NOT NULL,
      recipient VARCHAR(320) NOT NULL,
      requested_by_id VARCHAR(36) NOT NULL REFERENCES users(id),
      requested_by VARCHAR(64) NOT NULL,
      requested_by_name VARCHAR(200) NOT NULL,
      requested_at ${t.ts} NOT NULL,
      signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id),
      first_viewed_at ${t.ts},
      view_count INTEGER NOT NULL DEFAULT 0)`,
    `CREATE INDEX safety_unblindings_participant ON safety_unblindings(participant_id)`,
    `CREATE TABLE inadvertent_unblindings (
      id VARCHAR(36) PRIMARY KEY,
      occurred_on VARCHAR(10) NOT NULL,
      how_it_happened TEXT NOT NULL,
      who_was_unblinded TEXT NOT NULL,
      impact_assessment TEXT NOT NULL,
      corrective_action TEXT NOT NULL,
      reported_by_id VARCHAR(36) NOT NULL REFERENCES users(id),
      reported_by VARCHAR(64) NOT NULL,
      reported_by_name VARCHAR(200) NOT NULL,
      reporter_role VARCHAR(32) NOT NULL,
      reported_at ${t.ts} NOT NULL,
      signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id))`,
    `CREATE TABLE inadvertent_unblinding_patients (
      report_id VARCHAR(36) NOT NULL REFERENCES inadvertent_unblindings(id),
      participant_id VARCHAR(36) NOT NULL REFERENCES participants(id),
      PRIMARY KEY (report_id, participant_id))`,
  ];
}
