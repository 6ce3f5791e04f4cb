/**
 * Builds the access review report of a study from the records that exist: the users table, the
 * held grants (role_grants), the sessions (last sign-in) and the audit trail, which is the one
 * complete history of who changed which account. "Since when / by whom" comes from the newest audit
 * entry that gave the current role; where none exists (an account whose history predates the audit of
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

async function userEntries(sql: Sql): Promise<UserEntry[]> {
  const rows = await sql.all<Record<string, unknown>>(
    "SELECT seq, at, actor, action, entity_id, details FROM audit_log WHERE entity_type = 'user' ORDER BY seq",
  );
  return rows
    .map((r) => ({
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

function account(
  u: UserRecord,
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
  for (const e of entries) {
    const given = roleGiven(e);
    if (given) since = given.role === u.role ? { at: e.at, by: given.by, approvedBy: given.approvedBy } : null;
  }
  if (!since) unknown.push('roleSince', 'roleGrantedBy');
  return {
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    siteCodes: [...u.siteCodes],
    state: stateOf(
      u,
      pending.some((g) => g.kind === 'create' || g.kind === 'reactivate'),
    ),
    identityProvider: identityProvider ?? null,
    secondFactor: identityProvider ? null : enrolled,
    secondFactorRequired: !identityProvider && requiresSecondFactor(u.role),
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

/** The report's signed content as the records stand now; `afterSeq` is where the previous review's changes ended. */
export async function buildAccessReview(
  sql: Sql,
  study: { code: string; title: string },
  previous: { id: string; reviewedAt: string; auditSeq: number } | null,
): Promise<AccessReviewContent> {
  const users = await UsersRepository.list(sql);
  const entries = await userEntries(sql);
  const signIns = await lastSignIns(sql);
  const linked = await identities(sql);
  const enrolled = await secondFactors(sql);
  const pending = await RoleGrantsRepository.list(sql, 'pending');
  const usernames = new Map(users.map((u) => [u.id, u.username]));
  const byUser = new Map<string, UserEntry[]>();
  for (const e of entries) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  const accounts = users.map((u) =>
    account(
      u,
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
  const changes = entries
    .filter((e) => e.seq > (previous?.auditSeq ?? 0))
    .map((e) => change(e, usernames.get(e.userId) ?? e.userId))
    .filter((c) => c.fields.length > 0 || c.action !== 'user.updated');
  return {
    format: 'blindrand-access-review/1',
    studyCode: study.code,
    studyTitle: study.title,
    previousReview: previous && { id: previous.id, reviewedAt: previous.reviewedAt },
    accounts,
    changes,
  };
}
