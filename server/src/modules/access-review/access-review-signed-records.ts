/** How SignatureService rebuilds a signed access review for verification (signatures/signed-records.ts). */
import type { ContentLoader } from '../signatures/signed-records.js';
import { AccessReviewsRepository, signedContent } from './access-review.repository.js';

export const ACCESS_REVIEW_SIGNED_RECORDS: Record<string, ContentLoader> = {
  'access-review': async (sql, id, studyId) => {
    const r = await AccessReviewsRepository.find(sql, id, studyId);
    return r && signedContent(r);
  },
};
