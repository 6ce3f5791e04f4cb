/**
 * The demo trial: a seeded stratified permuted-block list from the protocol's proposed method,
 * activated at once (DEMO_STUDY_STATUS=active, the default) or left in set-up for a statistician
 * to design (DEMO_STUDY_STATUS=setup). Runs inside the demo's one seeding transaction.
 */
import type { WriteTx } from '../../database/database.service.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import type { StudyService } from '../study/study.service.js';

export async function seedDemoStudy(
  study: StudyService,
  protocol: Protocol,
  tx: WriteTx,
  status: 'active' | 'setup',
): Promise<void> {
  const proposed = protocol.randomization ?? { method: 'permuted-block', params: { blockSizes: [2, 4] } };
  await study.generateIn(tx, { method: proposed.method, params: proposed.params });
  if (status === 'active') await study.activateIn(tx, null);
}
