/**
 * The ordered migration lists, one per dialect. Append new migrations at the end; never edit one
 * that has shipped. The app runs them at start; `synchronize` is never used.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Dialect } from '../sql.js';
import { ddlFor, type Ddl } from './ddl.js';
import { foundation } from './001-foundation.js';
import { randomization } from './002-randomization.js';
import { unblinding } from './003-unblinding.js';

type Step = { name: string; up: (t: Ddl) => string[] };

/** Names end in a 13-digit timestamp, as TypeORM requires. */
const STEPS: Step[] = [
  { name: 'Foundation1764070000001', up: foundation },
  { name: 'Randomization1764070000002', up: randomization },
  { name: 'Unblinding1764070000003', up: unblinding },
];

type MigrationClass = new () => MigrationInterface;

/** TypeORM instantiates migration classes itself, so each step becomes a small class. */
function toMigration(step: Step, dialect: Dialect): MigrationClass {
  return class implements MigrationInterface {
    name = step.name;
    async up(runner: QueryRunner): Promise<void> {
      for (const statement of step.up(ddlFor(dialect))) await runner.query(statement);
    }
    async down(): Promise<void> {
      throw new Error(`${step.name}: migrations are forward-only; restore a backup to go back`);
    }
  };
}

export function migrationsFor(dialect: Dialect): MigrationClass[] {
  return STEPS.map((s) => toMigration(s, dialect));
}
