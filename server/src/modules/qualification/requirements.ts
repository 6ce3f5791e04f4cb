/**
 * The requirement ids qualification gives evidence for (one line each; the requirement texts live in
 * requirements/*.yaml). Checks and tests are tagged with them.
 */
export const QUAL = {
  build: 'QUAL-001',
  durability: 'QUAL-002',
  key: 'QUAL-003',
  clock: 'QUAL-004',
  backup: 'QUAL-005',
  tls: 'QUAL-006',
  exactlyOnce: 'QUAL-007',
  blinding: 'QUAL-008',
  unblinding: 'QUAL-009',
  tamper: 'QUAL-010',
  exports: 'QUAL-011',
  report: 'QUAL-012',
  isolation: 'QUAL-013',
  chain: 'QUAL-014',
} as const;
