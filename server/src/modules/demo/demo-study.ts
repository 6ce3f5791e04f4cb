/**
 * The demo trial: a seeded stratified permuted-block list from the protocol's proposed method,
 * activated at once (DEMO_STUDY_STATUS=active, the default) or left in set-up for a statistician
 * to design (DEMO_STUDY_STATUS=setup).
 */
import type { INestApplication } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { StudyService } from '../study/study.service.js';

export async function seedDemoStudy(app: INestApplication, status: 'active' | 'setup'): Promise<void> {
  const study = app.get(StudyService);
  const proposed = study.protocol().randomization ?? { method: 'permuted-block', params: { blockSizes: [2, 4] } };
  await study.generate({ ...SYSTEM_ACTOR, username: 'demo' }, { method: proposed.method, params: proposed.params });
  if (status === 'active') await app.get(DatabaseService).withWriteTransaction({ ...SYSTEM_ACTOR, username: 'demo' }, (tx) => study.activateIn(tx, null));
}
