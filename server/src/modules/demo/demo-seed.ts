/**
 * Demo data for a first look: on an empty database, sites A and B and one user per role
 * (API.md, "Demo mode"). The password comes from DEMO_PASSWORD or is generated and printed once;
 * the users whose role needs a second factor are enrolled with DEMO_TOTP_SECRET.
 * The demo trial follows (demo-study.ts).
 */
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { requiresSecondFactor } from '../../../../shared/roles.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { hashPassword } from '../auth/passwords.js';
import { SecondFactorService } from '../auth/second-factor.service.js';
import { base32Decode } from '../auth/totp.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { StudyService } from '../study/study.service.js';
import { seedDemoStudy } from './demo-study.js';
import { DEMO_TOTP_SECRET, DEMO_USERS } from './demo-accounts.js';

// The accounts are data of their own (demo-accounts.ts): test support reads them without loading the server.
export { DEMO_TOTP_SECRET, DEMO_USERS };

const DEMO_SITES = [
  { code: 'A', name: 'Site A — Neurology, University Hospital' },
  { code: 'B', name: 'Site B — MS Centre, Regional Hospital' },
];

export interface DemoResult {
  created: boolean;
  password: string | null;
  generated: boolean;
}

/** Who the demo's audit entries name. */
const DEMO_ACTOR = { ...SYSTEM_ACTOR, username: 'demo' };
/** Serializes demo seeding across PostgreSQL instances (SQLite: the write lock already does). */
const DEMO_SEED_LOCK_KEY = 727_2026_02;

/** Another instance seeded first: this transaction writes nothing. */
class AlreadySeeded extends Error {}

/**
 * Seeds sites, users and the demo trial in ONE write transaction, so a start killed half-way leaves
 * either nothing (the next start seeds again) or everything. `announce` shows a generated password
 * just before the commit: a kill after it leaves a database whose password was shown, a kill before
 * the commit leaves an empty one whose next start shows a new password. The emptiness check is
 * repeated inside the transaction, so instances starting together seed once and never collide.
 */
export async function seedDemoIfEmpty(
  app: INestApplication,
  configuredPassword: string | null,
  studyStatus: 'active' | 'setup' = 'active',
  announce: (password: string) => void = () => undefined,
): Promise<DemoResult> {
  const db = app.get(DatabaseService);
  if ((await db.read((sql) => UsersRepository.count(sql))) > 0)
    return { created: false, password: null, generated: false };
  const password = configuredPassword ?? randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  const users = app.get(UsersService);
  const study = app.get(StudyService);
  const secondFactor = app.get(SecondFactorService);
  try {
    await db.withWriteTransaction(DEMO_ACTOR, async (tx) => {
      if (db.dialect === 'postgres') await tx.sql.exec('SELECT pg_advisory_xact_lock(?)', [DEMO_SEED_LOCK_KEY]);
      if ((await UsersRepository.count(tx.sql)) > 0) throw new AlreadySeeded();
      for (const site of DEMO_SITES) {
        await SitesRepository.insert(tx.sql, { ...site, active: true, locale: null }, tx.now);
        tx.audit({
          action: 'site.created',
          entityType: 'site',
          entityId: site.code,
          reason: 'demo data',
          details: { site },
        });
      }
      for (const user of DEMO_USERS) {
        const created = await users.insertUser(tx, { ...user, password }, passwordHash);
        if (requiresSecondFactor(user.role)) await secondFactor.seed(tx, created.id, base32Decode(DEMO_TOTP_SECRET));
      }
      // The demo trial is the first study (PROTOCOL_FILE), the one this transaction writes for.
      await seedDemoStudy(study, app.get(ProtocolService).protocol(tx.studyId), tx, studyStatus);
      if (configuredPassword === null) announce(password);
    });
  } catch (err) {
    if (err instanceof AlreadySeeded) return { created: false, password: null, generated: false };
    throw err;
  }
  return { created: true, password, generated: configuredPassword === null };
}
