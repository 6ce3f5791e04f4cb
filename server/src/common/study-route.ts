/**
 * The path of a study's routes (docs/MULTI-STUDY.md decision 5): `studies/:studyCode/<path>`. The guard reads
 * `:studyCode` (http/study-access.ts) and acts with the caller's role in that study; handlers take the study
 * from `viewer.studyId`, never from a body or their own parameter.
 */
export const studyRoute = (path = ''): string => (path ? `studies/:studyCode/${path}` : 'studies/:studyCode');
