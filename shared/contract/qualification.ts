/** The installation/operational qualification report (server/src/modules/qualification/report.ts signs and verifies it). */
export type CheckStage = 'installation' | 'operational';

export interface CheckResult {
  /** Stable id, e.g. IQ-DURABILITY or OQ-EXACTLY-ONCE. */
  id: string;
  stage: CheckStage;
  /** Requirement ids (requirements/*.yaml) this check gives evidence for. */
  requirements: string[];
  title: string;
  expected: string;
  observed: string;
  pass: boolean;
}

export interface ReportEnvironment {
  version: string;
  node: string;
  os: string;
  dialect: 'sqlite' | 'postgres';
  databaseVersion: string;
  publicUrl: string;
}

export interface UnsignedReport {
  format: 'blindrand-qualification/1';
  id: string;
  startedAt: string;
  finishedAt: string;
  runBy: { username: string; displayName: string; role: string };
  /** The language of the titles and expectations (the runner's). */
  locale: 'en' | 'fr';
  environment: ReportEnvironment;
  result: 'pass' | 'fail';
  scope: 'installation' | 'installation+operational';
  summary: { passed: number; failed: number; total: number };
  checks: CheckResult[];
}

export interface ReportSignature {
  algorithm: 'Ed25519';
  /** Base64 DER (SPKI) of the instance's audit signing key, as published with every checkpoint. */
  publicKey: string;
  /** SHA-256 (hex) of the canonical JSON of the unsigned report: the digest recorded in the audit trail. */
  digest: string;
  value: string;
}

export interface QualificationReport extends UnsignedReport {
  signature: ReportSignature;
}

/** GET /api/qualification: one row per stored run. */
export interface QualificationSummary {
  id: string;
  startedAt: string;
  finishedAt: string;
  runBy: string;
  result: 'pass' | 'fail';
  passed: number;
  failed: number;
  digest: string;
}

export interface RunQualificationInput {
  installationOnly?: boolean;
}
