import type { Ddl } from './ddl.js';

/**
 * Signed periodic access reviews (issue 16, Build 6). The report reviewed is kept whole as signed
 * (its canonical JSON re-hashes to content_hash), so a later reader verifies both the hash and the
 * signature; audit_seq is the chain's head when signed, where the next review's changes start.
 * study_code names the study the review belongs to (one study today, many next).
 */
export function accessReviews(t: Ddl): string[] {
  return [
    `CREATE TABLE access_reviews (
      id VARCHAR(36) PRIMARY KEY,
      study_code VARCHAR(64) NOT NULL,
      reviewed_at ${t.ts} NOT NULL,
      reviewer_id VARCHAR(36) NOT NULL REFERENCES users(id),
      reviewer VARCHAR(64) NOT NULL,
      conclusion TEXT NOT NULL,
      period_start ${t.ts},
      next_due_at ${t.ts} NOT NULL,
      audit_seq INTEGER NOT NULL,
      content_hash CHAR(64) NOT NULL,
      report ${t.json} NOT NULL,
      signature_id VARCHAR(36) NOT NULL REFERENCES signatures(id))`,
    `CREATE INDEX access_reviews_study ON access_reviews(study_code, reviewed_at)`,
  ];
}
