/**
 * Who holds which role in a study (issue 16 Build 2; docs/MULTI-STUDY.md decision 6): the rows of study_roles,
 * live and revoked. A role is given at once unless it is sensitive (shared/roles.ts isSensitiveRole: the unblinded
 * roles and those counted in a two-person rule), which is held in role_grants with the study until a second,
 * independent person approves it (role-grants.service.ts); nobody grants themselves a study role. Every change is
 * audited in the study's own chain (the viewer's study: actorOf carries it into the write transaction).
 */
import { Injectable } from '@nestjs/common';
import type { StudyMemberChangeView, StudyMembersView, StudyMemberView } from '../../../../shared/contract.js';
import { isSensitiveRole, isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';
import { StudyRolesRepository, type StudyRoleRecord } from '../accounts/study-roles.repository.js';
import type { UserRecord } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { RoleGrantsService } from '../users/role-grants.service.js';
import type { GrantStudyRoleDto } from './studies.dto.js';

const toMember = (r: StudyRoleRecord, user: UserRecord | null): StudyMemberView => ({
  username: user?.username ?? '?',
  displayName: user?.displayName ?? '?',
  role: r.role,
  siteCodes: r.siteCodes,
  grantedBy: r.grantedBy,
  grantedAt: r.grantedAt,
  revokedBy: r.revokedBy,
  revokedAt: r.revokedAt,
});

const noSuchPerson = (username: string) =>
  new DomainError('NOT_FOUND', `No account named "${username.slice(0, 64)}" was found.`);

@Injectable()
export class StudyMembersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly grants: RoleGrantsService,
  ) {}

  async list(viewer: Viewer): Promise<StudyMembersView> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const rows = await StudyRolesRepository.history(sql, studyId);
      const users = new Map((await UsersRepository.list(sql)).map((u) => [u.id, u]));
      return {
        studyCode: viewer.studyCode!,
        members: rows.map((r) => toMember(r, users.get(r.userId) ?? null)),
        pendingGrants: await this.grants.pendingInStudy(sql, studyId, viewer.studyCode!),
      };
    });
  }

  async grant(viewer: Viewer, input: GrantStudyRoleDto): Promise<StudyMemberChangeView> {
    refuseFirstStudy(viewer);
    const siteCodes = [...new Set(input.siteCodes ?? [])].sort();
    if (isSiteScoped(input.role) && siteCodes.length === 0)
      throw new DomainError('VALIDATION_FAILED', 'An investigator needs at least one site.');
    if (!isSiteScoped(input.role) && siteCodes.length > 0)
      throw new DomainError(
        'VALIDATION_FAILED',
        `Only an investigator's role is limited to sites: send no siteCodes for the role ${input.role}.`,
      );
    const reason = input.reason?.trim() || null;
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const user = await UsersRepository.findByUsername(tx.sql, input.username);
      if (!user) throw noSuchPerson(input.username);
      if (user.id === viewer.userId)
        throw new DomainError(
          'FORBIDDEN',
          'Nobody grants themselves a role in a study: another admin must grant it (and a sensitive role needs a second person to approve it).',
        );
      for (const code of siteCodes)
        if (!(await SitesRepository.find(tx.sql, code)))
          throw new DomainError('VALIDATION_FAILED', `Unknown site "${code.slice(0, 40)}".`);
      if (isSensitiveRole(input.role)) {
        const grant = await this.grants.hold(tx, viewer, user, 'role', input.role, null, reason, tx.studyId);
        return { status: 'held', member: null, grant: this.grants.view(grant, user, viewer.studyCode) };
      }
      return { status: 'granted', member: await this.setRole(tx, user, input, siteCodes, reason), grant: null };
    });
  }

  async revoke(viewer: Viewer, username: string, reason: string | undefined): Promise<StudyMemberChangeView> {
    refuseFirstStudy(viewer);
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const user = await UsersRepository.findByUsername(tx.sql, username);
      if (!user) throw noSuchPerson(username);
      const live = await StudyRolesRepository.live(tx.sql, tx.studyId, user.id);
      if (!live) throw new DomainError('NOT_FOUND', `"${user.username}" holds no role in this study.`);
      await StudyRolesRepository.revoke(tx.sql, tx.studyId, user.id, viewer.username, tx.now);
      tx.audit({
        action: 'study.member_revoked',
        entityType: 'user',
        entityId: user.id,
        reason: reason?.trim() || null,
        details: { username: user.username, role: live.role, siteCodes: live.siteCodes },
      });
      return {
        status: 'revoked',
        member: toMember({ ...live, revokedBy: viewer.username, revokedAt: tx.now }, user),
        grant: null,
      };
    });
  }

  /** A role that takes effect now (replacing the live one, which is kept as revoked). */
  private async setRole(
    tx: WriteTx,
    user: UserRecord,
    input: GrantStudyRoleDto,
    siteCodes: string[],
    reason: string | null,
  ): Promise<StudyMemberView> {
    const before = await StudyRolesRepository.live(tx.sql, tx.studyId, user.id);
    const row = await StudyRolesRepository.set(
      tx.sql,
      tx.studyId,
      user.id,
      input.role,
      siteCodes,
      tx.actor.username,
      tx.now,
    );
    if (before && row.id === before.id)
      throw new DomainError('INVALID_TRANSITION', `"${user.username}" already holds this role in this study.`);
    tx.audit({
      action: 'study.member_granted',
      entityType: 'user',
      entityId: user.id,
      reason,
      details: {
        username: user.username,
        role: input.role,
        siteCodes,
        ...(before ? { replaces: { role: before.role, siteCodes: before.siteCodes } } : {}),
      },
    });
    return toMember(row, user);
  }
}

/**
 * The first study's roles follow the accounts (users.role and users.site_codes, set through /api/users): a change
 * here would be undone by the next change of the account. Until users.role holds only the instance role
 * (docs/MULTI-STUDY.md decision 6), the first study's members are managed there.
 */
function refuseFirstStudy(viewer: Viewer): void {
  if (viewer.studyId === FIRST_STUDY_ID)
    throw new DomainError(
      'CONFLICT',
      "The first study's roles follow the accounts: change them with PATCH /api/users/{id} (the Users page).",
    );
}
