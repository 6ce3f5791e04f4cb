/**
 * Held grants (issue 11, Build 5): no one unblinds themselves by administering the system. Giving
 * someone a sensitive role (SENSITIVE_ROLES: the unblinded pharmacist and randomization statistician,
 * and the trial statistician and medical monitor who count in the two-signature and two-person
 * rules) — by creating the account, changing its role, re-activating it, resetting its password or
 * changing its e-mail (where the set-password link goes) — takes effect only when a second person
 * signs an approval.
 *
 * Who may approve: an active admin or randomization statistician (ApproveRoleGrants) who is
 *  - not the requester and not the subject of the grant, and
 *  - independent of the requester: neither account was created, reset or re-addressed by the other,
 *    directly or through a chain of such accounts (an admin cannot make a puppet approver).
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../../../shared/roles.js';
import { asInt, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import { UsersRepository } from '../accounts/users.repository.js';

export type GrantKind = 'create' | 'role' | 'reactivate' | 'password-reset' | 'email';
export type GrantStatus = 'pending' | 'approved' | 'rejected';

export interface RoleGrantRecord {
  id: string;
  userId: string;
  kind: GrantKind;
  role: Role;
  email: string | null;
  status: GrantStatus;
  reason: string | null;
  requestedById: string;
  requestedBy: string;
  requestedAt: string;
  decidedById: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  signatureId: string | null;
  /** A role in this study (study_roles); null: a change of the account itself (users.role, the first study). */
  studyId: number | null;
}

const toGrant = (r: Record<string, unknown>): RoleGrantRecord => ({
  id: asStr(r.id),
  userId: asStr(r.user_id),
  kind: asStr(r.kind) as GrantKind,
  role: asStr(r.role) as Role,
  email: asStrOrNull(r.email),
  status: asStr(r.status) as GrantStatus,
  reason: asStrOrNull(r.reason),
  requestedById: asStr(r.requested_by_id),
  requestedBy: asStr(r.requested_by),
  requestedAt: asStr(r.requested_at),
  decidedById: asStrOrNull(r.decided_by_id),
  decidedBy: asStrOrNull(r.decided_by),
  decidedAt: asStrOrNull(r.decided_at),
  comment: asStrOrNull(r.comment),
  signatureId: asStrOrNull(r.signature_id),
  studyId: r.study_id === null || r.study_id === undefined ? null : asInt(r.study_id),
});

export const RoleGrantsRepository = {
  find: (sql: Sql, id: string) => sql.one('SELECT * FROM role_grants WHERE id = ?', [id], toGrant),
  findForUpdate: (sql: Sql, id: string) =>
    sql.one(`SELECT * FROM role_grants WHERE id = ?${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [id], toGrant),
  list: (sql: Sql, status: GrantStatus | null) =>
    status
      ? sql.all('SELECT * FROM role_grants WHERE status = ? ORDER BY requested_at, id', [status], toGrant)
      : sql.all('SELECT * FROM role_grants ORDER BY requested_at, id', [], toGrant),
  /** The grants of roles in one study still waiting for a second person (the study's members page). */
  pendingInStudy: (sql: Sql, studyId: number) =>
    sql.all(
      'SELECT * FROM role_grants WHERE study_id = ? AND status = ? ORDER BY requested_at, id',
      [studyId, 'pending'],
      toGrant,
    ),
  pendingFor: (sql: Sql, userId: string) =>
    sql.all(
      'SELECT * FROM role_grants WHERE user_id = ? AND status = ? ORDER BY requested_at',
      [userId, 'pending'],
      toGrant,
    ),

  async insert(
    sql: Sql,
    g: Pick<
      RoleGrantRecord,
      'userId' | 'kind' | 'role' | 'email' | 'reason' | 'requestedById' | 'requestedBy' | 'requestedAt' | 'studyId'
    >,
  ): Promise<RoleGrantRecord> {
    const id = randomUUID();
    await sql.exec(
      'INSERT INTO role_grants (id, user_id, kind, role, email, status, reason, requested_by_id, requested_by, requested_at, study_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        g.userId,
        g.kind,
        g.role,
        g.email,
        'pending',
        g.reason,
        g.requestedById,
        g.requestedBy,
        g.requestedAt,
        g.studyId,
      ],
    );
    return {
      ...g,
      id,
      status: 'pending',
      decidedById: null,
      decidedBy: null,
      decidedAt: null,
      comment: null,
      signatureId: null,
    };
  },

  async decide(
    sql: Sql,
    id: string,
    d: {
      status: GrantStatus;
      decidedById: string;
      decidedBy: string;
      decidedAt: string;
      comment: string | null;
      signatureId: string;
    },
  ): Promise<void> {
    await sql.exec(
      'UPDATE role_grants SET status = ?, decided_by_id = ?, decided_by = ?, decided_at = ?, comment = ?, signature_id = ? WHERE id = ? AND status = ?',
      [d.status, d.decidedById, d.decidedBy, d.decidedAt, d.comment, d.signatureId, id, 'pending'],
    );
  },
};

/** Every account that made `userId` (created it, reset its password, changed its e-mail), transitively. */
async function controllers(sql: Sql, userId: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [userId];
  while (queue.length) {
    const user = await UsersRepository.findById(sql, queue.shift()!);
    for (const next of [user?.createdById, user?.credentialsById]) {
      if (next && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** Why `approverId` may not approve a grant requested by `requesterId` for `subjectId`, or null when they may. */
export async function approvalProblem(sql: Sql, grant: RoleGrantRecord, approverId: string): Promise<string | null> {
  if (approverId === grant.requestedById) return 'A grant must be approved by a second person: you requested it.';
  if (approverId === grant.userId) return 'You cannot approve a grant of your own account.';
  if ((await controllers(sql, approverId)).has(grant.requestedById))
    return 'Your account was created, reset or re-addressed by the requester: you are not independent of them.';
  if ((await controllers(sql, grant.requestedById)).has(approverId))
    return "The requester's account was created, reset or re-addressed by you: you are not independent of them.";
  return null;
}
