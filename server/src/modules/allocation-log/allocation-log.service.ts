/** The allocation log: who randomized whom, when, in which stratum; `arm` only for unblinded roles. */
import { Injectable } from '@nestjs/common';
import { isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { toCsv } from '../../common/csv.js';
import { LOG_COLUMNS, SIGNATURE_COLUMNS, readAllocationLog, type AllocationLogRow } from './allocation-log.rows.js';

@Injectable()
export class AllocationLogService {
  constructor(private readonly db: DatabaseService) {}

  rows(viewer: Viewer): Promise<AllocationLogRow[]> {
    return this.db.read((sql: Sql) => readAllocationLog((q) => sql.all(q), !isBlindedViewer(viewer)));
  }

  async csv(viewer: Viewer): Promise<string> {
    const withArms = !isBlindedViewer(viewer);
    return toCsv(await this.rows(viewer), [
      ...LOG_COLUMNS,
      ...(withArms ? ['arm' as const] : []),
      ...SIGNATURE_COLUMNS,
    ]);
  }
}
