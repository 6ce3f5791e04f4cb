/**
 * Which study a write or a read is for, until studies are routed (docs/MULTI-STUDY.md, Build 1 step 2:
 * `viewer.studyId`). Today an instance holds one study and StudyRepository creates it with this id; every
 * repository takes the study id as a parameter and its callers pass this one value, so the next step
 * replaces the callers' argument, not the queries.
 */
export const FIRST_STUDY_ID = 1;

/** The chains of the audit trail: a study's chain is its study id; INSTANCE_CHAIN is the instance's. */
export type ChainId = number;

/**
 * The instance's own chain (docs/MULTI-STUDY.md decision 4): accounts, sign-in, second factor, identity
 * provider, sites, instance role grants and qualification. No study has id 0, so no study's chain is it.
 */
export const INSTANCE_CHAIN: ChainId = 0;
