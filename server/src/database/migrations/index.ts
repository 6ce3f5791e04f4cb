/**
 * The ordered migration lists, one per dialect. Append new migrations at the end; never edit one
 * that has shipped. The app runs them at start; `synchronize` is never used. Each step can be
 * reverted (TypeORM's undoLastMigration); restoring a backup remains the way back for data.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Dialect } from '../sql.js';
import { ddlFor, type Ddl } from './ddl.js';
import { foundation } from './001-foundation.js';
import { randomization } from './002-randomization.js';
import { unblinding } from './003-unblinding.js';
import { sealedAudit, sealedAuditDown, sealLegacyChain } from './004-sealed-audit.js';
import { unknownLoginFailures } from './005-unknown-login-failures.js';
import { roleGrants, roleGrantsDown } from './006-role-grants.js';
import { schemeSalt, schemeSaltDown } from './007-scheme-salt.js';
import { signingKeys } from './008-signing-keys.js';
import { locales, localesDown } from './010-locales.js';
import { safetyUnblinding } from './012-safety-unblinding.js';
import { envelopes } from './011-envelopes.js';
import { qualificationReports } from './013-qualification-reports.js';
import { emergency, emergencyDown } from './009-emergency.js';
import { participantStatus, participantStatusDown } from './014-participant-status.js';
import { secondFactor, secondFactorDown } from './015-second-factor.js';
import { oidcSignIn } from './016-oidc-sign-in.js';
import { accessReviews } from './017-access-reviews.js';
import { studyScope, studyScopeCheck, studyScopeDown } from './018-study-scope.js';
import { studyRoles, studyRolesDown } from './019-study-roles.js';

/** A migration step: its statements, and (when they are not plain CREATEs) how to undo them. */
type Step = {
  name: string;
  up: (t: Ddl) => string[];
  down?: (t: Ddl) => string[];
  /** Data conversion that needs code (runs after `up`'s statements, in the same transaction). */
  data?: (runner: QueryRunner, dialect: Dialect) => Promise<void>;
};

/** Names end in a 13-digit timestamp, as TypeORM requires. */
export const STEPS: Step[] = [
  { name: 'Foundation1764070000001', up: foundation },
  { name: 'Randomization1764070000002', up: randomization },
  { name: 'Unblinding1764070000003', up: unblinding },
  { name: 'SealedAudit1764070000004', up: sealedAudit, down: sealedAuditDown, data: sealLegacyChain },
  { name: 'UnknownLoginFailures1764070000005', up: unknownLoginFailures },
  { name: 'RoleGrants1764070000006', up: roleGrants, down: roleGrantsDown },
  { name: 'SchemeSalt1764070000007', up: schemeSalt, down: schemeSaltDown },
  { name: 'SigningKeys1764070000008', up: signingKeys },
  { name: 'Locales1764070000010', up: locales, down: localesDown },
  { name: 'SafetyUnblinding1764070000012', up: safetyUnblinding },
  { name: 'Envelopes1764070000011', up: envelopes },
  { name: 'QualificationReports1764070000013', up: qualificationReports },
  { name: 'Emergency1764070000009', up: emergency, down: emergencyDown },
  { name: 'ParticipantStatus1764070000014', up: participantStatus, down: participantStatusDown },
  { name: 'SecondFactor1764070000015', up: secondFactor, down: secondFactorDown },
  { name: 'OidcSignIn1764070000016', up: oidcSignIn },
  { name: 'AccessReviews1764070000017', up: accessReviews },
  { name: 'StudyScope1764070000018', up: studyScope, down: studyScopeDown, data: studyScopeCheck },
  { name: 'StudyRoles1764070000019', up: studyRoles, down: studyRolesDown },
];

type MigrationClass = new () => MigrationInterface;

/** TypeORM instantiates migration classes itself, so each step becomes a small class. */
function toMigration(step: Step, dialect: Dialect): MigrationClass {
  return class implements MigrationInterface {
    name = step.name;
    async up(runner: QueryRunner): Promise<void> {
      for (const statement of step.up(ddlFor(dialect))) await runner.query(statement);
      if (step.data) await step.data(runner, dialect);
    }
    async down(runner: QueryRunner): Promise<void> {
      for (const statement of downStatements(step, dialect)) await runner.query(statement);
    }
  };
}

/**
 * How a step is undone: its own `down`, or — for a step made only of CREATE TABLE / CREATE INDEX
 * and seed INSERTs — the tables dropped in reverse order (their indexes and rows go with them).
 */
export function downStatements(step: Step, dialect: Dialect): string[] {
  const t = ddlFor(dialect);
  if (step.down) return step.down(t);
  const statements = step.up(t);
  const other = statements.find((s) => !/^\s*(CREATE (TABLE|INDEX|UNIQUE INDEX)|INSERT INTO)\b/i.test(s));
  if (other)
    throw new Error(`${step.name}: give an explicit down() — cannot derive the undo of: ${other.slice(0, 60)}`);
  return statements
    .map((s) => /^\s*CREATE TABLE (\w+)/i.exec(s)?.[1])
    .filter((name): name is string => name !== undefined)
    .reverse()
    .map((name) => `DROP TABLE ${name}`);
}

export function migrationsFor(dialect: Dialect): MigrationClass[] {
  return STEPS.map((s) => toMigration(s, dialect));
}
