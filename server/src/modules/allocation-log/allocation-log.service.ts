/** The allocation log: who randomized whom, when, in which stratum; `arm` only for unblinded roles. */
import { Injectable } from '@nestjs/common';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { allocationLogCsv, readAllocationLog, type AllocationLogRow } from './allocation-log.rows.js';

@Injectable()
export class AllocationLogService {
  constructor(private readonly db: DatabaseService) {}

  rows(viewer: Viewer): Promise<AllocationLogRow[]> {
    return this.db.read((sql: Sql) =>
      readAllocationLog((q, p) => sql.all(q, p), viewer.studyId!, !isBlindedViewer(viewer)),
    );
  }

  async csv(viewer: Viewer): Promise<string> {
    return allocationLogCsv(await this.rows(viewer), !isBlindedViewer(viewer));
  }
}
