import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthView } from '../../../../shared/contract.js';
import { Public } from '../../common/permissions.js';
import { DatabaseService } from '../../database/database.service.js';
import { RETRY_AFTER_SECONDS } from '../../database/faults.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DatabaseService) {}

  /**
   * For load balancers: 200 when reads answer and the writer can commit (or is only waiting for
   * another process's lock: `writer: 'busy'`); 503 with Retry-After when the database does not answer
   * or writes fail (disk full, read-only, I/O errors), so an instance that could only acknowledge
   * writes it cannot store is taken out of rotation.
   */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    try {
      await this.db.read((sql) => sql.one('SELECT seq FROM audit_head WHERE id = 1'));
    } catch {
      res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS.unavailable));
      return { status: 'degraded', db: 'down', writer: 'unavailable' };
    }
    const writer = await this.db.checkWriter();
    if (writer === 'ok' || writer === 'busy') return { status: 'ok', db: 'ok', writer };
    res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS[writer]));
    return { status: 'degraded', db: 'ok', writer };
  }
}
