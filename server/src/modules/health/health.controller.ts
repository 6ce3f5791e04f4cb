import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthView } from '../../../../shared/contract.js';
import { Public } from '../../common/permissions.js';
import { DatabaseService } from '../../database/database.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DatabaseService) {}

  /** Liveness and database reachability, for load balancers. 503 when the database does not answer. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    try {
      await this.db.read((sql) => sql.one('SELECT seq FROM audit_head WHERE id = 1'));
      return { status: 'ok', db: 'ok' };
    } catch {
      res.status(503);
      return { status: 'degraded', db: 'down' };
    }
  }
}
