import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AdminUserView } from '../../../../shared/contract.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Actor, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { hashPassword } from '../auth/passwords.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { changesBetween } from './changes.js';
import { toAdminUserView, type UserRecord } from './user.record.js';
import type { CreateUserDto, UpdateUserDto } from './users.dto.js';
import { UsersRepository } from './users.repository.js';

const AUDITED_FIELDS: Array<keyof UserRecord> = ['displayName', 'email', 'role', 'siteCodes', 'active', 'lockedAt', 'failedAttempts'];

@Injectable()
export class UsersService {
  constructor(private readonly db: DatabaseService) {}

  async list(): Promise<AdminUserView[]> {
    return (await this.db.read((sql) => UsersRepository.list(sql))).map(toAdminUserView);
  }

  async get(id: string): Promise<AdminUserView> {
    const user = await this.db.read((sql) => UsersRepository.findById(sql, id));
    if (!user) throw notFound('The user');
    return toAdminUserView(user);
  }

  /** Creates a user (admin console, CLI, demo seed). The password is hashed before the write lock. */
  async create(actor: Actor, input: CreateUserDto): Promise<AdminUserView> {
    const passwordHash = await hashPassword(input.password);
    return this.db.withWriteTransaction(actor, (tx) => this.insertUser(tx, input, passwordHash));
  }

  async insertUser(tx: WriteTx, input: CreateUserDto, passwordHash: string): Promise<AdminUserView> {
    const siteCodes = [...new Set(input.siteCodes ?? [])].sort();
    if (input.role === 'investigator' && siteCodes.length === 0) throw new DomainError('VALIDATION_FAILED', 'An investigator needs at least one site.');
    const user: UserRecord = {
      id: randomUUID(), username: input.username, displayName: input.displayName, email: input.email ?? null, role: input.role, siteCodes,
      passwordHash, active: true, failedAttempts: 0, lockedAt: null, createdAt: tx.now, updatedAt: tx.now,
    };
    try {
      await UsersRepository.insert(tx.sql, user);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('DUPLICATE', `A user named "${input.username}" already exists.`);
      throw err;
    }
    // Checked after the insert, inside the same transaction: a failure here rolls the user back
    // (the concurrent-write test relies on this to prove that nothing of a rollback remains).
    await this.requireSites(tx, siteCodes);
    const { passwordHash: _p, ...visible } = user;
    tx.audit({ action: 'user.created', entityType: 'user', entityId: user.id, details: { user: visible } });
    return toAdminUserView(user);
  }

  async update(viewer: Viewer, id: string, patch: UpdateUserDto): Promise<AdminUserView> {
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      if (id === viewer.userId && (patch.active === false || (patch.role && patch.role !== before.role))) {
        throw new DomainError('VALIDATION_FAILED', 'You cannot deactivate your own account or change your own role.');
      }
      const siteCodes = patch.siteCodes ? [...new Set(patch.siteCodes)].sort() : before.siteCodes;
      await this.requireSites(tx, siteCodes);
      const after: UserRecord = {
        ...before,
        displayName: patch.displayName ?? before.displayName,
        email: patch.email ?? before.email,
        role: patch.role ?? before.role,
        siteCodes,
        active: patch.active ?? before.active,
        updatedAt: tx.now,
      };
      if (after.role === 'investigator' && after.siteCodes.length === 0) throw new DomainError('VALIDATION_FAILED', 'An investigator needs at least one site.');
      const changes = changesBetween(before, after, AUDITED_FIELDS);
      if (Object.keys(changes).length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing to change: every value is already as given.');
      await UsersRepository.update(tx.sql, after);
      if (!after.active || after.role !== before.role) await SessionsRepository.revokeAllForUser(tx.sql, id, tx.now);
      const action = before.active && !after.active ? 'user.deactivated' : !before.active && after.active ? 'user.reactivated' : 'user.updated';
      tx.audit({ action, entityType: 'user', entityId: id, reason: patch.reason ?? null, details: { changes } });
      return toAdminUserView(after);
    });
  }

  async unlock(viewer: Viewer, id: string, reason?: string): Promise<AdminUserView> {
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      if (!before.lockedAt && before.failedAttempts === 0) throw new DomainError('VALIDATION_FAILED', 'The account is not locked.');
      const after = { ...before, lockedAt: null, failedAttempts: 0, updatedAt: tx.now };
      await UsersRepository.update(tx.sql, after);
      tx.audit({ action: 'user.unlocked', entityType: 'user', entityId: id, reason: reason ?? null, details: { changes: changesBetween(before, after, AUDITED_FIELDS) } });
      return toAdminUserView(after);
    });
  }

  async resetPassword(viewer: Viewer, id: string, newPassword: string, reason?: string): Promise<AdminUserView> {
    const passwordHash = await hashPassword(newPassword);
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      const after = { ...before, passwordHash, failedAttempts: 0, lockedAt: null, updatedAt: tx.now };
      await UsersRepository.update(tx.sql, after);
      await SessionsRepository.revokeAllForUser(tx.sql, id, tx.now);
      // The hash itself never enters the audit trail; the fact of the change does.
      tx.audit({ action: 'user.password_reset', entityType: 'user', entityId: id, reason: reason ?? null, details: { changes: { password: { old: '[set]', new: '[reset]' }, ...changesBetween(before, after, AUDITED_FIELDS) } } });
      return toAdminUserView(after);
    });
  }

  private async mustFind(tx: WriteTx, id: string): Promise<UserRecord> {
    const user = await UsersRepository.findById(tx.sql, id);
    if (!user) throw notFound('The user');
    return user;
  }

  private async requireSites(tx: WriteTx, codes: string[]): Promise<void> {
    for (const code of codes) {
      if (!(await SitesRepository.find(tx.sql, code))) throw new DomainError('VALIDATION_FAILED', `Unknown site "${code}".`);
    }
  }
}
