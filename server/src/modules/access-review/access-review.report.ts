/**
 * Builds the access review report of a study from the records that exist: the users table, the
 * study's roles (study_roles: who holds which role in it, granted by whom, since when), the held grants
 * (role_grants), the sessions (last sign-in) and the audit trail, which is the one complete history of
 * who changed which account. Account entries are in the instance chain (0) since it exists, and in the
 * first study's chain before (docs/MULTI-STUDY.md decision 4): both are read, in time order. "Since
 * when / by whom" comes from the newest audit entry that gave the current role; where none exists (an account whose history predates the audit of
 * its role) the value is null and named in `unknown`, never guessed.
 *
 * Deliberately no participant, allocation, scheme or unblinding table is read here: the report holds
 * nothing a blinded reader could compute an arm from.
 */
import type {
  AccessAccountState,
  AccessReviewAccount,
  AccessReviewChange,
  AccessReviewContent,
  AccessReviewUnknown,
} from '../../../../shared/contract.js';
import { requiresSecondFactor, type Role } from '../../../../shared/roles.js';
import { asJson, asStr, type Sql } from '../../database/sql.js';
import type { UserRecord } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { RoleGrantsRepository } from '../users/role-grants.js';
import { StudyRolesRepository, type StudyRoleRecord } from '../accounts/study-roles.repository.js';
import { FIRST_STUDY_ID, INSTANCE_CHAIN } from '../../database/study-scope.js';

/** Audit actions on an account that change who may do what (sign-ins and language changes are not access changes). */
const ACCESS_ACTIONS = new Set([
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.locked',
  'user.unlocked',
  'user.password_reset',
  'user.grant_requested',
  'user.grant_approved',
  'user.grant_rejected',
  'user.identity_linked',
  'user.identity_unlinked',
  'user.second_factor_enrolled',
  'user.second_factor_reset',
]);
/** The fields of `details.changes` that are access (a display name or language is not). */
const ACCESS_FIELDS = ['role', 'siteCodes', 'active', 'lockedAt', 'email', 'secondFactor'];

interface UserEntry {
  chain: number;
  seq: number;
  at: string;
  actor: string;
  action: string;
  userId: string;
  details: Record<string, unknown>;
}

type Change = { old: unknown; new: unknown };

const text = (v: unknown): string | null =>
  v === null || v === undefined ? null : Array.isArray(v) ? v.join(' ') : String(v);

function changesOf(e: UserEntry): Record<string, Change> {
  const c = e.details.changes;
  return c && typeof c === 'object' ? (c as Record<string, Change>) : {};
}

/** The role an entry gave the account, with who gave and who approved it; null when it gave none. */
function roleGiven(e: UserEntry): { role: string; by: string; approvedBy: string | null } | null {
  const d = e.details;
  if (e.action === 'user.created') {
    const user = d.user as { role?: string } | undefined;
    // A held creation gives the role only when approved (user.grant_approved below).
    return user?.role && !d.heldForApproval ? { role: user.role, by: e.actor, approvedBy: null } : null;
  }
  if (e.action === 'user.grant_approved' && (d.kind === 'create' || d.kind === 'role'))
    return { role: String(d.role), by: String(d.requestedBy ?? ''), approvedBy: e.actor };
  const role = changesOf(e).role;
  return role ? { role: String(role.new), by: e.actor, approvedBy: null } : null;
}

function stateOf(u: UserRecord, awaiting: boolean): AccessAccountState {
  if (!u.active) return awaiting ? 'awaiting-approval' : 'deactivated';
  return u.lockedAt ? 'locked' : 'active';
}

/**
 * The account entries of the instance chain and, before it existed, of the first study's chain, in time
 * order (at equal times the first study's first: the instance chain began after it). Every write takes
 * its time once it holds its chain's head, so each chain is in time order on its own.
 */
async function userEntries(sql: Sql): Promise<UserEntry[]> {
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT chain, seq, at, actor, action, entity_id, details FROM audit_log
      WHERE chain IN (?, ?) AND entity_type = 'user'
      ORDER BY at, CASE WHEN chain = ? THEN 0 ELSE 1 END, seq`,
    [INSTANCE_CHAIN, FIRST_STUDY_ID, FIRST_STUDY_ID],
  );
  return rows
    .map((r) => ({
      chain: Number(r.chain),
      seq: Number(r.seq),
      at: asStr(r.at),
      actor: asStr(r.actor),
      action: asStr(r.action),
      userId: asStr(r.entity_id),
      details: readObject(r.details),
    }))
    .filter((e) => ACCESS_ACTIONS.has(e.action));
}

function readObject(v: unknown): Record<string, unknown> {
  try {
    const parsed = asJson<unknown>(v, {});
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The accounts with a confirmed second factor (migration 015). */
async function secondFactors(sql: Sql): Promise<Set<string>> {
  const rows = await sql.all<Record<string, unknown>>(
    'SELECT user_id FROM second_factors WHERE confirmed_at IS NOT NULL',
  );
  return new Set(rows.map((r) => asStr(r.user_id)));
}

/** The identity provider each account is linked to (migration 016; none for local password accounts). */
async function identities(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql.all<Record<string, unknown>>('SELECT user_id, issuer FROM user_identities');
  return new Map(rows.map((r) => [asStr(r.user_id), asStr(r.issuer)]));
}

async function lastSignIns(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql.all<Record<string, unknown>>(
    'SELECT user_id, MAX(created_at) AS last FROM sessions GROUP BY user_id',
  );
  return new Map(rows.map((r) => [asStr(r.user_id), asStr(r.last)]));
}

/**
 * One account's line. In the first study the role is the account's (users.role is kept in step with its
 * study_roles row) and its history is the audit trail's; in another study the role, its sites and
 * since when and by whom come from the account's live study_roles row (the account entries speak of the
 * first study's role).
 */
function account(
  u: UserRecord,
  studyRole: StudyRoleRecord | null,
  entries: UserEntry[],
  lastSignIn: string | undefined,
  identityProvider: string | undefined,
  enrolled: boolean,
  pending: AccessReviewAccount['pendingGrants'],
  usernames: Map<string, string>,
): AccessReviewAccount {
  const unknown: AccessReviewUnknown[] = [];
  const created = entries.find((e) => e.action === 'user.created');
  const createdBy = created?.actor ?? (u.createdById ? (usernames.get(u.createdById) ?? null) : null);
  if (!createdBy) unknown.push('createdBy');
  let since: { at: string; by: string; approvedBy: string | null } | null = null;
  if (studyRole) since = { at: studyRole.grantedAt, by: studyRole.grantedBy, approvedBy: null };
  else
    for (const e of entries) {
      const given = roleGiven(e);
      if (given) since = given.role === u.role ? { at: e.at, by: given.by, approvedBy: given.approvedBy } : null;
    }
  if (!since) unknown.push('roleSince', 'roleGrantedBy');
  const role = studyRole?.role ?? u.role;
  return {
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    role,
    siteCodes: [...(studyRole?.siteCodes ?? u.siteCodes)],
    state: stateOf(
      u,
      pending.some((g) => g.kind === 'create' || g.kind === 'reactivate'),
    ),
    identityProvider: identityProvider ?? null,
    secondFactor: identityProvider ? null : enrolled,
    secondFactorRequired: !identityProvider && requiresSecondFactor(role),
    accountCreatedAt: u.createdAt,
    createdBy,
    roleSince: since?.at ?? null,
    roleGrantedBy: since?.by || null,
    roleApprovedBy: since?.approvedBy ?? null,
    lastSignInAt: lastSignIn ?? null,
    pendingGrants: pending,
    unknown,
  };
}

function change(e: UserEntry, username: string): AccessReviewChange {
  const d = e.details;
  const fields =
    e.action === 'user.second_factor_enrolled'
      ? [{ field: 'secondFactor', old: null, new: 'enrolled' }]
      : e.action.startsWith('user.identity_')
        ? [
            e.action === 'user.identity_linked'
              ? { field: 'identityProvider', old: null, new: text(d.issuer) }
              : { field: 'identityProvider', old: text(d.issuer), new: null },
          ]
        : e.action.startsWith('user.grant_')
          ? [
              { field: 'grant', old: null, new: text(d.kind) },
              { field: 'role', old: null, new: text(d.role) },
            ]
          : e.action === 'user.created'
            ? [{ field: 'role', old: null, new: text((d.user as { role?: string } | undefined)?.role) }]
            : Object.entries(changesOf(e))
                .filter(([field]) => ACCESS_FIELDS.includes(field))
                .map(([field, c]) => ({ field, old: text(c.old), new: text(c.new) }));
  return { seq: e.seq, at: e.at, actor: e.actor, action: e.action, userId: e.userId, username, fields };
}

/** The fields an account entry holds for the first study only (users.role and its grants). */
const STUDY_FIELDS = ['role', 'siteCodes', 'grant'];

/** A study role given or taken (study_roles: not an audit entry, so `seq` is 0). */
function roleChange(
  r: StudyRoleRecord,
  at: string,
  actor: string,
  action: string,
  username: string,
  old: StudyRoleRecord | null,
  now: StudyRoleRecord | null,
): AccessReviewChange {
  return {
    seq: 0,
    at,
    actor,
    action,
    userId: r.userId,
    username,
    fields: [
      { field: 'role', old: old?.role ?? null, new: now?.role ?? null },
      { field: 'siteCodes', old: text(old?.siteCodes), new: text(now?.siteCodes) },
    ],
  };
}

/**
 * The report's signed content as the records stand now. The changes are those after the previous review
 * (by time: the account entries come from two chains, whose positions do not compare; a review holds the
 * instance head while it signs, so no account entry can commit behind its time).
 */
export async function buildAccessReview(
  sql: Sql,
  study: { id: number; code: string; title: string },
  previous: { id: string; reviewedAt: string } | null,
): Promise<AccessReviewContent> {
  const first = study.id === FIRST_STUDY_ID;
  const history = await StudyRolesRepository.history(sql, study.id);
  const live = new Map(history.filter((r) => !r.revokedAt).map((r) => [r.userId, r]));
  // Another study lists the accounts holding a role in it; the first study every account (v1).
  const everyone = await UsersRepository.list(sql);
  const users = everyone.filter((u) => first || live.has(u.id));
  const entries = await userEntries(sql);
  const signIns = await lastSignIns(sql);
  const linked = await identities(sql);
  const enrolled = await secondFactors(sql);
  const pending = await RoleGrantsRepository.list(sql, 'pending');
  const usernames = new Map(everyone.map((u) => [u.id, u.username]));
  const byUser = new Map<string, UserEntry[]>();
  for (const e of entries) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  const accounts = users.map((u) =>
    account(
      u,
      first ? null : (live.get(u.id) ?? null),
      byUser.get(u.id) ?? [],
      signIns.get(u.id),
      linked.get(u.id),
      enrolled.has(u.id),
      pending
        .filter((g) => g.userId === u.id)
        .map((g) => ({ kind: g.kind, role: g.role as Role, requestedBy: g.requestedBy, requestedAt: g.requestedAt })),
      usernames,
    ),
  );
  const since = (at: string | null): at is string => at !== null && (!previous || at > previous.reviewedAt);
  const held = new Set(history.map((r) => r.userId));
  const changes = entries
    .filter((e) => (first || held.has(e.userId)) && since(e.at))
    .map((e) => change(e, usernames.get(e.userId) ?? e.userId))
    // In another study an account entry's role, sites and grants are the first study's: its own come below.
    .map((c) => (first ? c : { ...c, fields: c.fields.filter((f) => !STUDY_FIELDS.includes(f.field)) }))
    .filter(
      (c) => c.fields.length > 0 || (c.action !== 'user.updated' && (first || !c.action.startsWith('user.grant_'))),
    );
  if (!first) {
    for (const r of history) {
      const username = usernames.get(r.userId) ?? r.userId;
      if (since(r.grantedAt))
        changes.push(roleChange(r, r.grantedAt, r.grantedBy, 'study_role.granted', username, null, r));
      if (since(r.revokedAt))
        changes.push(roleChange(r, r.revokedAt, r.revokedBy ?? '', 'study_role.revoked', username, r, null));
    }
    changes.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  return {
    format: 'blindrand-access-review/1',
    studyCode: study.code,
    studyTitle: study.title,
    previousReview: previous && { id: previous.id, reviewedAt: previous.reviewedAt },
    accounts,
    changes,
  };
}
