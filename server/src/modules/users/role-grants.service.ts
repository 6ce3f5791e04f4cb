/**
 * Holding, listing and deciding grants of sensitive roles (rules in role-grants.ts). Every request
 * and every decision is audited and notified to the study's unblinded staff (pharmacists,
 * randomization statisticians), its trial statisticians, and the people who may approve (admins).
 */
import { Injectable } from '@nestjs/common';
import type { PasswordLinkIssued, RoleGrantView } from '../../../../shared/contract.js';
import { hasPermission, Permission, type Role } from '../../../../shared/roles.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { translate } from '../../../../shared/i18n/catalogue.js';
import { SignatureService, type Signer } from '../signatures/signature.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { PasswordLinks } from '../auth/password-links.js';
import {
  approvalProblem,
  RoleGrantsRepository,
  type GrantKind,
  type GrantStatus,
  type RoleGrantRecord,
} from './role-grants.js';
import { SSO_ONLY_PASSWORD, type UserRecord } from '../accounts/user.record.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { UsersRepository } from '../accounts/users.repository.js';

const KIND_TEXT: Record<GrantKind, string> = {
  create: 'new account',
  role: 'role change',
  reactivate: 're-activation',
  'password-reset': 'password reset',
  email: 'e-mail change',
};

function toView(g: RoleGrantRecord, user: UserRecord | null, studyCode?: string): RoleGrantView {
  return {
    ...(studyCode ? { studyCode } : {}),
    id: g.id,
    userId: g.userId,
    username: user?.username ?? '?',
    displayName: user?.displayName ?? '?',
    kind: g.kind,
    role: g.role,
    email: g.email,
    status: g.status,
    reason: g.reason,
    requestedBy: g.requestedBy,
    requestedAt: g.requestedAt,
    decidedBy: g.decidedBy,
    decidedAt: g.decidedAt,
    comment: g.comment,
  };
}

@Injectable()
export class RoleGrantsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly links: PasswordLinks,
    private readonly notifications: NotificationsService,
    private readonly signatures: SignatureService,
  ) {}

  /** Records a held change inside the caller's transaction, audits and notifies it. */
  async hold(
    tx: WriteTx,
    viewer: Viewer,
    user: UserRecord,
    kind: GrantKind,
    role: Role,
    email: string | null,
    reason: string | null,
    /** A role in this study (the caller's transaction writes for it: tx.studyId); null: the account itself. */
    studyId: number | null = null,
  ): Promise<RoleGrantRecord> {
    const open = await RoleGrantsRepository.pendingFor(tx.sql, user.id);
    if (open.some((g) => g.kind === kind && g.studyId === studyId))
      throw new DomainError(
        'INVALID_TRANSITION',
        `A ${KIND_TEXT[kind]} of "${user.username}" is already waiting for approval${studyId ? ' in this study' : ''}.`,
      );
    const grant = await RoleGrantsRepository.insert(tx.sql, {
      userId: user.id,
      kind,
      role,
      email,
      reason,
      requestedById: viewer.userId,
      requestedBy: viewer.username,
      requestedAt: tx.now,
      studyId,
    });
    tx.audit({
      action: 'user.grant_requested',
      entityType: 'user',
      entityId: user.id,
      reason,
      details: { grantId: grant.id, kind, role, email, heldUntilApproval: true, ...(studyId ? { studyId } : {}) },
    });
    await this.tell(tx, grant, user, 'requested', viewer.displayName);
    return grant;
  }

  async pendingViews(sql: Sql, user: UserRecord): Promise<RoleGrantView[]> {
    return (await RoleGrantsRepository.pendingFor(sql, user.id)).filter((g) => !g.studyId).map((g) => toView(g, user));
  }

  /** A study's grants waiting for a second person. */
  async pendingInStudy(sql: Sql, studyId: number, studyCode: string): Promise<RoleGrantView[]> {
    const grants = await RoleGrantsRepository.pendingInStudy(sql, studyId);
    return Promise.all(grants.map(async (g) => toView(g, await UsersRepository.findById(sql, g.userId), studyCode)));
  }

  /** A grant as its view (the members route answers with the grant it held). */
  view(grant: RoleGrantRecord, user: UserRecord, studyCode?: string): RoleGrantView {
    return toView(grant, user, studyCode);
  }

  async list(status: GrantStatus | null): Promise<RoleGrantView[]> {
    return this.db.read(async (sql) => {
      const grants = await RoleGrantsRepository.list(sql, status);
      const codes = new Map((await StudyRepository.list(sql)).map((s) => [s.id, s.code]));
      return Promise.all(
        grants.map(async (g) =>
          toView(g, await UsersRepository.findById(sql, g.userId), g.studyId ? codes.get(g.studyId) : undefined),
        ),
      );
    });
  }

  /** A second, independent person signs an approval (the change takes effect) or a rejection. */
  async decide(
    viewer: Viewer,
    id: string,
    approve: boolean,
    comment: string | undefined,
    signature: { password: string; meaning?: string },
  ): Promise<RoleGrantView> {
    const signer = await this.signatures.authenticate(viewer, signature, approve ? 'approveGrant' : 'rejectGrant');
    // A role in a study is decided in that study's transaction: its audit entries go to that study's chain.
    // An instance grant (the v1 account API, no study) is the instance's: chain 0 (accountWrite).
    const studyId = (await this.db.read((sql) => RoleGrantsRepository.find(sql, id)))?.studyId ?? null;
    const write = studyId
      ? <T>(work: (tx: WriteTx) => Promise<T>) => this.db.withWriteTransaction(actorOf(viewer), work, { studyId })
      : <T>(work: (tx: WriteTx) => Promise<T>) => this.db.accountWrite(actorOf(viewer), work);
    return write(async (tx) => {
      const grant = await RoleGrantsRepository.findForUpdate(tx.sql, id);
      if (!grant || grant.studyId !== studyId) throw notFound('The grant');
      if (grant.status !== 'pending')
        throw new DomainError('INVALID_TRANSITION', `The grant was already ${grant.status}.`);
      const problem =
        (await approvalProblem(tx.sql, grant, viewer.userId)) ?? (await studyApprovalProblem(tx.sql, grant, viewer));
      if (problem) throw new DomainError('FORBIDDEN', problem);
      return this.decided(tx, viewer, grant, approve, comment, signer);
    });
  }

  private async decided(
    tx: WriteTx,
    viewer: Viewer,
    grant: RoleGrantRecord,
    approve: boolean,
    comment: string | undefined,
    signer: Signer,
  ): Promise<RoleGrantView> {
    const user = (await UsersRepository.findById(tx.sql, grant.userId))!;
    const status: GrantStatus = approve ? 'approved' : 'rejected';
    const signed = await this.signatures.record(tx, signer, {
      type: 'role-grant.decision',
      id: grant.id,
      content: grantContent(grant, status, viewer.username),
    });
    await RoleGrantsRepository.decide(tx.sql, grant.id, {
      status,
      decidedById: viewer.userId,
      decidedBy: viewer.username,
      decidedAt: tx.now,
      comment: comment?.trim() || null,
      signatureId: signed.id,
    });
    const { after, passwordLink } = approve
      ? await this.apply(tx, grant, user)
      : { after: user, passwordLink: undefined };
    tx.audit({
      action: approve ? 'user.grant_approved' : 'user.grant_rejected',
      entityType: 'user',
      entityId: user.id,
      reason: comment?.trim() || null,
      details: {
        grantId: grant.id,
        kind: grant.kind,
        role: grant.role,
        requestedBy: grant.requestedBy,
        ...(grant.studyId ? { studyId: grant.studyId } : {}),
        signatureId: signed.id,
        signature: signed,
      },
    });
    await this.tell(tx, { ...grant, status }, after, approve ? 'approved' : 'rejected', signer.printedName);
    const view = toView(
      {
        ...grant,
        status,
        decidedById: viewer.userId,
        decidedBy: viewer.username,
        decidedAt: tx.now,
        comment: comment?.trim() || null,
        signatureId: signed.id,
      },
      after,
      grant.studyId ? (await StudyRepository.find(tx.sql, grant.studyId))?.code : undefined,
    );
    return passwordLink ? { ...view, passwordLink } : view;
  }

  /** Makes an approved change take effect, checked against the account as it is now. */
  private async apply(
    tx: WriteTx,
    grant: RoleGrantRecord,
    user: UserRecord,
  ): Promise<{ after: UserRecord; passwordLink?: PasswordLinkIssued }> {
    if (grant.studyId) {
      // A role in one study: the account itself does not change (the guard reads study_roles at each request).
      await StudyRolesRepository.set(tx.sql, grant.studyId, user.id, grant.role, [], grant.requestedBy, tx.now);
      return { after: user };
    }
    let after: UserRecord = { ...user, updatedAt: tx.now };
    switch (grant.kind) {
      case 'create':
      case 'reactivate':
        after = { ...after, active: true };
        break;
      case 'role':
        after = { ...after, role: grant.role };
        await SessionsRepository.revokeAllForUser(tx.sql, user.id, tx.now);
        break;
      case 'email':
        after = { ...after, email: grant.email, credentialsById: grant.requestedById };
        break;
      case 'password-reset':
        after = { ...after, credentialsById: grant.requestedById };
        break;
    }
    await UsersRepository.update(tx.sql, after);
    await StudyRolesRepository.syncFirstStudy(tx.sql, after, tx.actor.username, tx.now);
    // An account that signs in through the identity provider gets no password, hence no link.
    if (grant.kind === 'create' && after.passwordHash !== SSO_ONLY_PASSWORD)
      return { after, passwordLink: await this.links.issue(tx, after, 'new-account', grant.requestedBy) };
    if (grant.kind === 'password-reset')
      return { after, passwordLink: await this.links.issue(tx, after, 'reset', grant.requestedBy) };
    return { after };
  }

  private async tell(
    tx: WriteTx,
    grant: RoleGrantRecord,
    user: UserRecord,
    what: 'requested' | 'approved' | 'rejected',
    by: string,
  ): Promise<void> {
    const concerned: Role[] = ['admin', 'pharmacist', 'randomization_statistician', 'statistician'];
    // A role in a study: that study's concerned members and the instance admins (who may approve), no one else.
    const recipients = (
      grant.studyId
        ? [
            ...(await this.notifications.instanceRecipients(tx.sql, 'admin')),
            ...(await this.notifications.recipientsWithRole(tx.sql, grant.studyId, ...concerned)),
          ]
        : await this.notifications.instanceRecipients(tx.sql, ...concerned)
    ).filter((u, i, all) => u.id !== user.id && all.findIndex((o) => o.id === u.id) === i);
    const key = what.charAt(0).toUpperCase() + what.slice(1);
    await this.notifications.notify(tx, recipients, (locale) => {
      const params = {
        by,
        name: user.displayName,
        username: user.username,
        role: translate(locale, `common.role.${grant.role}`),
        kind: translate(locale, `admin.grantKind.${grant.kind}`),
      };
      const title = translate(locale, `notifications.grant${key}Title`, params);
      const body = translate(locale, `notifications.grant${key}Body`, params);
      return {
        kind: `role-grant.${what}`,
        title,
        body,
        entityType: 'user',
        entityId: user.id,
        mail: {
          subject: translate(locale, 'emails.subject', { title }),
          text: `${body}\n\n${translate(locale, 'emails.signInToReview')}\n`,
        },
      };
    });
  }
}

/** What a grant decision signs (rebuilt from the stored grant for verification). */
function grantContent(
  g: Pick<RoleGrantRecord, 'id' | 'userId' | 'kind' | 'role' | 'email' | 'studyId'>,
  status: GrantStatus,
  decidedBy: string,
) {
  const content = { grantId: g.id, userId: g.userId, kind: g.kind, role: g.role, email: g.email, status, decidedBy };
  // A study's grant signs its study too (signed-records.ts rebuilds the same content).
  return g.studyId ? { ...content, studyId: g.studyId } : content;
}

/**
 * Who may approve a role in a study, beyond the rules of role-grants.ts: an instance admin, or someone who holds
 * the approving role (randomization statistician) in that very study — never by a role held in another study.
 */
async function studyApprovalProblem(sql: Sql, grant: RoleGrantRecord, viewer: Viewer): Promise<string | null> {
  if (!grant.studyId || viewer.role === 'admin') return null;
  const role = await StudyRolesRepository.live(sql, grant.studyId, viewer.userId);
  return role && hasPermission(role.role, Permission.ApproveRoleGrants)
    ? null
    : 'A role in a study is approved by an instance admin or by a randomization statistician of that study.';
}
