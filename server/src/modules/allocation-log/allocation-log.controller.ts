import type { AllocationLogEntry } from '../../../../shared/contract.js';
import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { ListQueryDto } from '../../common/request.dto.js';
import { AllocationLogService } from './allocation-log.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('allocation-log')
@ApiBearerAuth()
@Controller(studyRoute('allocation-log'))
export class AllocationLogController {
  constructor(private readonly log: AllocationLogService) {}

  @Get()
  @RequirePermission(Permission.ReadAllocationLog)
  @Header('Cache-Control', 'no-store')
  async get(
    @CurrentViewer() viewer: Viewer,
    @Query() q: ListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AllocationLogEntry[] | string> {
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="allocation-log.csv"');
      return this.log.csv(viewer);
    }
    return this.log.rows(viewer);
  }
}
