/** Exports for analysis: the CDISC-style unblinded export, only after end-of-study unblinding. */
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { UNBLINDED_DETAILS_KEY } from '../../database/audit/audit-seal.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { cdiscColumns, cdiscCsv } from './cdisc.js';

@Injectable()
export class ExportsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
  ) {}

  /** The CSV; the export itself is audited (who took the key out, and a hash of what they took). */
  async cdisc(viewer: Viewer): Promise<string> {
    const studyId = viewer.studyId!;
    const protocol = this.study.protocol(studyId);
    const { csv, code } = await this.db.read(async (sql) => {
      const study = await this.study.current(sql, studyId);
      this.study.requireStatus(study, ['unblinded'], 'export the unblinded CDISC data set');
      // Belt and braces: the same rule as every view (role and status), on the status just read.
      if (isBlindedViewer({ role: viewer.role, studyStatus: study.status }))
        throw new DomainError('FORBIDDEN', 'Your role may not export the unblinded data set.');
      return { csv: await cdiscCsv((q, p) => sql.all(q, p), studyId, protocol, study.code), code: study.code };
    });
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      // The file's digest is sealed (under `unblinded`): every other column is known to blinded readers,
      // so a bare SHA-256 of it could be recomputed by trying each arm for each row.
      tx.audit({
        action: 'export.cdisc',
        entityType: 'study',
        entityId: code,
        details: {
          rows: csv.trim().split('\n').length - 1,
          columns: cdiscColumns(protocol),
          [UNBLINDED_DETAILS_KEY]: { sha256: sha256Hex(csv) },
        },
      });
    });
    return csv;
  }
}
