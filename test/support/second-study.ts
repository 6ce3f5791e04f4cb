/**
 * The test host's `study-create` (app-host.ts): a second study in a running instance, for the isolation
 * tests, until every test can use the signed creation route. The first study's protocol under another
 * code; its own chain opened by recording the protocol it loads (as the first study's does), then the demo
 * scheme generated and activated through the real services, in that study's write transactions.
 */
import type { INestApplication } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../server/src/common/viewer.js';
import { sha256Hex } from '../../server/src/database/audit/audit-chain.js';
import { DatabaseService } from '../../server/src/database/database.service.js';
import { FIRST_STUDY_ID } from '../../server/src/database/study-scope.js';
import { seedDemoStudy } from '../../server/src/modules/demo/demo-study.js';
import { ProtocolService } from '../../server/src/modules/protocol/protocol.service.js';
import { StudyRepository } from '../../server/src/modules/protocol/study.repository.js';
import { StudyService } from '../../server/src/modules/study/study.service.js';

export async function createSecondStudy(app: INestApplication, studyId: number, code: string): Promise<void> {
  const db = app.get(DatabaseService);
  const protocols = app.get(ProtocolService);
  const yaml = (await db.read((sql) => StudyRepository.protocolYaml(sql, FIRST_STUDY_ID)))!;
  const sha = sha256Hex(yaml);
  // The row first (a chain starts only for a study that exists), recorded in the first study's chain.
  await db.withWriteTransaction(SYSTEM_ACTOR, async (tx) => {
    await StudyRepository.insert(
      tx.sql,
      { id: studyId, code, title: `Second study ${code}`, protocolYaml: yaml, protocolSha256: sha },
      tx.now,
    );
    tx.audit({ action: 'test.study_inserted', entityType: 'study', entityId: code, details: { studyId } });
  });
  const protocol = await protocols.load(studyId);
  await db.withWriteTransaction(
    SYSTEM_ACTOR,
    async (tx) => {
      tx.audit({
        action: 'study.loaded',
        entityType: 'study',
        entityId: code,
        details: { protocolSha256: sha, status: 'setup' },
      });
      await seedDemoStudy(app.get(StudyService), protocol, tx, 'active');
    },
    { studyId },
  );
}
