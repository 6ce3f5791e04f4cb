import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AdminUserView } from '../../../../shared/contract.js';
import { isSensitiveRole, type Role } from '../../../../shared/roles.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Actor, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { hashPassword } from '../auth/passwords.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { changesBetween } from '../../common/changes.js';
import { NO_PASSWORD, PasswordLinks } from '../auth/password-links.js';
import { RoleGrantsService } from './role-grants.service.js';
import type { GrantKind } from './role-grants.js';
import { toAdminUserView, type UserRecord } from '../accounts/user.record.js';
import type { CreateUserDto, UpdateUserDto } from './users.dto.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { UsersRepository } from '../accounts/users.repository.js';

const NO_CHOSEN_PASSWORD =
  "An administrator never chooses or learns another person's password: the user receives a one-time set-password link by e-mail. Remove the password field.";

const AUDITED_FIELDS: Array<keyof UserRecord> = [
  'displayName',
  'email',
  'role',
  'siteCodes',
  'active',
  'lockedAt',
  'failedAttempts',
  'locale',
];

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly links: PasswordLinks,
    private readonly grants: RoleGrantsService,
  ) {}

  async list(): Promise<AdminUserView[]> {
    return this.db.read(async (sql) =>
      Promise.all((await UsersRepository.list(sql)).map(async (u) => this.withGrants(sql, u))),
    );
  }

  async get(id: string): Promise<AdminUserView> {
    return this.db.read(async (sql) => {
      const user = await UsersRepository.findById(sql, id);
      if (!user) throw notFound('The user');
      return this.withGrants(sql, user);
    });
  }

  private async withGrants(sql: WriteTx['sql'], user: UserRecord): Promise<AdminUserView> {
    return { ...toAdminUserView(user), pendingGrants: await this.grants.pendingViews(sql, user) };
  }

  /**
   * An admin creates an account without a password: the user sets it from a one-time link sent to
   * their own e-mail. A sensitive role is held (the account stays inactive, no link) until a second
   * person approves it.
   */
  async request(viewer: Viewer, input: CreateUserDto): Promise<AdminUserView> {
    if (input.password !== undefined) throw new DomainError('VALIDATION_FAILED', NO_CHOSEN_PASSWORD);
    if (!input.email)
      throw new DomainError(
        'VALIDATION_FAILED',
        'An e-mail address is needed: the new user receives a one-time link there to set their password.',
      );
    return this.db.accountWrite(actorOf(viewer), async (tx) => {
      const held = isSensitiveRole(input.role);
      const created = await this.insertUser(tx, input, NO_PASSWORD, viewer.userId, !held);
      const user = (await UsersRepository.findById(tx.sql, created.id))!;
      if (held) {
        await this.grants.hold(tx, viewer, user, 'create', input.role, user.email, null);
        return this.withGrants(tx.sql, user);
      }
      const passwordLink = await this.links.issue(tx, user, 'new-account', viewer.username);
      return { ...(await this.withGrants(tx.sql, user)), passwordLink };
    });
  }

  /** Creates a user with a known password: the operator's CLI (bootstrap admin) only, never the admin console. */
  async createWithPassword(actor: Actor, input: CreateUserDto & { password: string }): Promise<AdminUserView> {
    const passwordHash = await hashPassword(input.password);
    return this.db.accountWrite(actor, (tx) => this.insertUser(tx, input, passwordHash));
  }

  async insertUser(
    tx: WriteTx,
    input: CreateUserDto,
    passwordHash: string,
    createdById: string | null = null,
    active = true,
  ): Promise<AdminUserView> {
    const siteCodes = [...new Set(input.siteCodes ?? [])].sort();
    if (input.role === 'investigator' && siteCodes.length === 0)
      throw new DomainError('VALIDATION_FAILED', 'An investigator needs at least one site.');
    const user: UserRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      email: input.email ?? null,
      role: input.role,
      siteCodes,
      passwordHash,
      active,
      failedAttempts: 0,
      lockedAt: null,
      locale: input.locale ?? null,
      createdById,
      credentialsById: null,
      createdAt: tx.now,
      updatedAt: tx.now,
    };
    try {
      await UsersRepository.insert(tx.sql, user);
      await StudyRolesRepository.syncFirstStudy(tx.sql, user, tx.actor.username, tx.now);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError('DUPLICATE', `A user named "${input.username}" already exists.`);
      throw err;
    }
    // Checked after the insert, inside the same transaction: a failure here rolls the user back
    // (the concurrent-write test relies on this to prove that nothing of a rollback remains).
    await this.requireSites(tx, siteCodes);
    const { passwordHash: _p, ...visible } = user;
    tx.audit({
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      details: { user: visible, ...(active ? {} : { heldForApproval: true }) },
    });
    return toAdminUserView(user);
  }

  /**
   * Applies what may change at once and holds the rest: a sensitive role, re-activating a user of a
   * sensitive role, and the e-mail address of such a user (where a set-password link would go).
   */
  async update(viewer: Viewer, id: string, patch: UpdateUserDto): Promise<AdminUserView> {
    return this.db.accountWrite(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      if (id === viewer.userId && (patch.active === false || (patch.role && patch.role !== before.role))) {
        throw new DomainError('VALIDATION_FAILED', 'You cannot deactivate your own account or change your own role.');
      }
      const siteCodes = patch.siteCodes ? [...new Set(patch.siteCodes)].sort() : before.siteCodes;
      await this.requireSites(tx, siteCodes);
      const targetRole: Role = patch.role ?? before.role;
      const held: Array<{ kind: GrantKind; role: Role; email: string | null }> = [];
      let role = targetRole;
      if (role !== before.role && isSensitiveRole(role)) {
        held.push({ kind: 'role', role, email: before.email });
        role = before.role;
      }
      let active = patch.active ?? before.active;
      if (!before.active && active && isSensitiveRole(targetRole)) {
        held.push({ kind: 'reactivate', role: targetRole, email: before.email });
        active = false;
      }
      let email = patch.email ?? before.email;
      let credentialsById = before.credentialsById;
      if (email !== before.email) {
        if (isSensitiveRole(targetRole) || isSensitiveRole(before.role)) {
          held.push({ kind: 'email', role: targetRole, email });
          email = before.email;
        } else if (id !== viewer.userId) credentialsById = viewer.userId; // they could now receive this user's links
      }
      // A held move away from investigator may clear the sites; until it is approved the investigator keeps theirs.
      const keptSites =
        role === 'investigator' && siteCodes.length === 0 && held.some((h) => h.kind === 'role')
          ? before.siteCodes
          : siteCodes;
      const locale = patch.locale === undefined ? before.locale : patch.locale;
      const after: UserRecord = {
        ...before,
        displayName: patch.displayName ?? before.displayName,
        email,
        role,
        siteCodes: keptSites,
        active,
        credentialsById,
        locale,
        updatedAt: tx.now,
      };
      if (after.role === 'investigator' && after.siteCodes.length === 0)
        throw new DomainError('VALIDATION_FAILED', 'An investigator needs at least one site.');
      const changes = changesBetween(before, after, AUDITED_FIELDS);
      if (Object.keys(changes).length === 0 && held.length === 0)
        throw new DomainError('VALIDATION_FAILED', 'Nothing to change: every value is already as given.');
      if (Object.keys(changes).length) {
        await UsersRepository.update(tx.sql, after);
        await StudyRolesRepository.syncFirstStudy(tx.sql, after, tx.actor.username, tx.now);
        if (!after.active || after.role !== before.role) await SessionsRepository.revokeAllForUser(tx.sql, id, tx.now);
        const action =
          before.active && !after.active
            ? 'user.deactivated'
            : !before.active && after.active
              ? 'user.reactivated'
              : 'user.updated';
        tx.audit({ action, entityType: 'user', entityId: id, reason: patch.reason ?? null, details: { changes } });
      }
      for (const h of held) await this.grants.hold(tx, viewer, after, h.kind, h.role, h.email, patch.reason ?? null);
      return this.withGrants(tx.sql, after);
    });
  }

  async unlock(viewer: Viewer, id: string, reason?: string): Promise<AdminUserView> {
    return this.db.accountWrite(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      if (!before.lockedAt && before.failedAttempts === 0)
        throw new DomainError('VALIDATION_FAILED', 'The account is not locked.');
      const after = { ...before, lockedAt: null, failedAttempts: 0, updatedAt: tx.now };
      await UsersRepository.update(tx.sql, after);
      tx.audit({
        action: 'user.unlocked',
        entityType: 'user',
        entityId: id,
        reason: reason ?? null,
        details: { changes: changesBetween(before, after, AUDITED_FIELDS) },
      });
      return this.withGrants(tx.sql, after);
    });
  }

  /**
   * A reset sends the user a one-time link; the current password keeps working until they use it.
   * For a sensitive role the link is held until a second person approves.
   */
  async resetPassword(
    viewer: Viewer,
    id: string,
    newPassword: string | undefined,
    reason?: string,
  ): Promise<AdminUserView> {
    if (newPassword !== undefined) throw new DomainError('VALIDATION_FAILED', NO_CHOSEN_PASSWORD);
    return this.db.accountWrite(actorOf(viewer), async (tx) => {
      const before = await this.mustFind(tx, id);
      if (!before.active) throw new DomainError('VALIDATION_FAILED', 'The account is inactive: re-activate it first.');
      if (isSensitiveRole(before.role)) {
        await this.grants.hold(tx, viewer, before, 'password-reset', before.role, before.email, reason ?? null);
        return this.withGrants(tx.sql, before);
      }
      const after = {
        ...before,
        credentialsById: id === viewer.userId ? before.credentialsById : viewer.userId,
        updatedAt: tx.now,
      };
      await UsersRepository.update(tx.sql, after);
      tx.audit({
        action: 'user.password_reset',
        entityType: 'user',
        entityId: id,
        reason: reason ?? null,
        details: { changes: { password: { old: '[set]', new: '[link sent to the user]' } } },
      });
      const passwordLink = await this.links.issue(tx, after, 'reset', viewer.username);
      return { ...(await this.withGrants(tx.sql, after)), passwordLink };
    });
  }

  private async mustFind(tx: WriteTx, id: string): Promise<UserRecord> {
    const user = await UsersRepository.findById(tx.sql, id);
    if (!user) throw notFound('The user');
    return user;
  }

  private async requireSites(tx: WriteTx, codes: string[]): Promise<void> {
    for (const code of codes) {
      if (!(await SitesRepository.find(tx.sql, code)))
        throw new DomainError('VALIDATION_FAILED', `Unknown site "${code}".`);
    }
  }
}
