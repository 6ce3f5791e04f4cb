/**
 * Holding, listing and deciding grants of sensitive roles (rules in role-grants.ts). Every request
 * and every decision is audited and notified to the study's unblinded staff (pharmacists,
 * randomization statisticians), its trial statisticians, and the people who may approve (admins).
 */
import { Injectable } from '@nestjs/common';
import type { PasswordLinkIssued, RoleGrantView } from '../../../../shared/contract.js';
import { type Role } from '../../../../shared/roles.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { translate } from '../../../../shared/i18n/catalogue.js';
import { SignatureService } from '../signatures/signature.service.js';
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

function toView(g: RoleGrantRecord, user: UserRecord | null): RoleGrantView {
  return {
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
  ): Promise<RoleGrantRecord> {
    const open = await RoleGrantsRepository.pendingFor(tx.sql, user.id);
    if (open.some((g) => g.kind === kind))
      throw new DomainError(
        'INVALID_TRANSITION',
        `A ${KIND_TEXT[kind]} of "${user.username}" is already waiting for approval.`,
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
    });
    tx.audit({
      action: 'user.grant_requested',
      entityType: 'user',
      entityId: user.id,
      reason,
      details: { grantId: grant.id, kind, role, email, heldUntilApproval: true },
    });
    await this.tell(tx, grant, user, 'requested', viewer.displayName);
    return grant;
  }

  async pendingViews(sql: Sql, user: UserRecord): Promise<RoleGrantView[]> {
    return (await RoleGrantsRepository.pendingFor(sql, user.id)).map((g) => toView(g, user));
  }

  async list(status: GrantStatus | null): Promise<RoleGrantView[]> {
    return this.db.read(async (sql) => {
      const grants = await RoleGrantsRepository.list(sql, status);
      return Promise.all(grants.map(async (g) => toView(g, await UsersRepository.findById(sql, g.userId))));
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
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const grant = await RoleGrantsRepository.findForUpdate(tx.sql, id);
      if (!grant) throw notFound('The grant');
      if (grant.status !== 'pending')
        throw new DomainError('INVALID_TRANSITION', `The grant was already ${grant.status}.`);
      const problem = await approvalProblem(tx.sql, grant, viewer.userId);
      if (problem) throw new DomainError('FORBIDDEN', problem);
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
      );
      return passwordLink ? { ...view, passwordLink } : view;
    });
  }

  /** Makes an approved change take effect, checked against the account as it is now. */
  private async apply(
    tx: WriteTx,
    grant: RoleGrantRecord,
    user: UserRecord,
  ): Promise<{ after: UserRecord; passwordLink?: PasswordLinkIssued }> {
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
    const recipients = (
      await this.notifications.recipientsWithRole(
        tx.sql,
        'admin',
        'pharmacist',
        'randomization_statistician',
        'statistician',
      )
    ).filter((u) => u.id !== user.id);
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
  g: Pick<RoleGrantRecord, 'id' | 'userId' | 'kind' | 'role' | 'email'>,
  status: GrantStatus,
  decidedBy: string,
) {
  return { grantId: g.id, userId: g.userId, kind: g.kind, role: g.role, email: g.email, status, decidedBy };
}
