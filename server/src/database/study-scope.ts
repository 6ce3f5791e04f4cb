/**
 * Which study a write or a read is for, until studies are routed (docs/MULTI-STUDY.md, Build 1 step 2:
 * `viewer.studyId`). Today an instance holds one study and StudyRepository creates it with this id; every
 * repository takes the study id as a parameter and its callers pass this one value, so the next step
 * replaces the callers' argument, not the queries.
 */
export const FIRST_STUDY_ID = 1;

/** The chains of the audit trail: a study's chain is its study id (0, the instance's, is not written yet). */
export type ChainId = number;
