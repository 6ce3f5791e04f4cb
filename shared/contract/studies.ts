import type { Role } from '../roles.js';
import type { SignatureInput, StudyStatus } from './common.js';
import type { RoleGrantView } from './users.js';

/**
 * A study as the study switcher lists it (GET /api/studies): the studies the caller holds a role in, and,
 * for an instance admin, every study of the instance (role null where they hold none: they manage the
 * instance, not the study, and see none of its allocations).
 */
export interface StudyMembershipView {
  code: string;
  title: string;
  status: StudyStatus;
  /** The caller's live role in this study; null: none (an instance admin's view of a study they are not in). */
  role: Role | null;
  siteCodes: string[];
}

/**
 * POST /api/studies: one signed act with two signatures (docs/MULTI-STUDY.md decision 7) — the calling
 * instance admin's, and the co-signature of the person who becomes the new study's trial statistician.
 */
export interface CreateStudyInput {
  /** The protocol file, as text (the format of protocols/README.md); its `study.code` names the study. */
  protocolYaml: string;
  /** The instance admin who creates the study. */
  signature: SignatureInput;
  /** The new study's trial statistician, typing their own password (and authenticator code) on the same screen. */
  secondSignature: { username: string; password: string; meaning?: string; totp?: string };
}

/** The study just created. The creating admin holds no role in it (role null); its trial statistician does. */
export interface CreatedStudyView extends StudyMembershipView {
  statistician: string;
  /** The two signatures (admin, statistician), verifiable with GET /api/studies/:code/signatures/:id/verification. */
  signatureIds: string[];
}

/** One row of a study's membership: live (revokedAt null) or revoked (kept: rows are never deleted). */
export interface StudyMemberView {
  username: string;
  displayName: string;
  role: Role;
  siteCodes: string[];
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
}

/** GET /api/studies/:code/members: every row, oldest first, and the grants still waiting for a second person. */
export interface StudyMembersView {
  studyCode: string;
  members: StudyMemberView[];
  pendingGrants: RoleGrantView[];
}

/** POST /api/studies/:code/members. `siteCodes`: an investigator's sites (at least one); no other role takes sites. */
export interface GrantStudyRoleInput {
  username: string;
  role: Role;
  siteCodes?: string[];
  reason?: string;
}

/**
 * What a membership change did: `granted` (in effect now), `held` (a sensitive role: in effect once a second
 * person approves the grant through POST /api/role-grants/:id/decision) or `revoked`.
 */
export interface StudyMemberChangeView {
  status: 'granted' | 'held' | 'revoked';
  member: StudyMemberView | null;
  grant: RoleGrantView | null;
}
