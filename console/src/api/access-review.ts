/**
 * API calls of the access review page (issue 16, Build 6), under /studies/:studyCode like every study route
 * will be. Kept apart from client.ts so the feature stays in one place.
 */
import type { AccessReviewInput, AccessReviewRecordView, AccessReviewReport } from '../../../shared/contract.js';
import { download, request } from './http.js';

const base = (study: string) => `/studies/${encodeURIComponent(study)}/access-review`;

export const getAccessReview = (study: string) => request<AccessReviewReport>(base(study));
export const listAccessReviews = (study: string) => request<AccessReviewRecordView[]>(`${base(study)}/reviews`);
export const signAccessReview = (study: string, input: AccessReviewInput) =>
  request<AccessReviewRecordView>(`${base(study)}/reviews`, { method: 'POST', body: input });
export const downloadAccessReviewCsv = (study: string) => download(`${base(study)}/csv`, `access-review-${study}.csv`);
