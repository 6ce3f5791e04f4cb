import { Body, Controller, Get, Header, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuditPage, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { AuditQueryDto, CheckpointRequestDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller(studyRoute('audit'))
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission(Permission.ReadAudit)
  page(@CurrentViewer() viewer: Viewer, @Query() q: AuditQueryDto): Promise<AuditPage> {
    return this.audit.page(viewer, { ...q, limit: q.limit ?? 50 });
  }

  /** The audit trail as CSV for inspectors: the same filters, every matching entry. */
  @Get('export')
  @RequirePermission(Permission.ReadAudit)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="audit-trail.csv"')
  @Header('Cache-Control', 'no-store')
  exportCsv(@CurrentViewer() viewer: Viewer, @Query() q: AuditQueryDto): Promise<string> {
    const { after: _a, limit: _l, ...filter } = q;
    return this.audit.csv(viewer, filter);
  }

  @Get('verify')
  @RequirePermission(Permission.ReadAudit)
  verify(@CurrentViewer() viewer: Viewer): Promise<VerifyResult> {
    return this.audit.verify(viewer.studyId!, viewer);
  }

  @Get('checkpoints')
  @RequirePermission(Permission.ReadAudit)
  checkpoints(@CurrentViewer() viewer: Viewer): Promise<CheckpointView[]> {
    return this.audit.checkpoints(viewer.studyId!, viewer);
  }

  @Post('checkpoints')
  @RequirePermission(Permission.CreateCheckpoint)
  create(@CurrentViewer() viewer: Viewer, @Body() body: CheckpointRequestDto): Promise<CheckpointView> {
    return this.audit.createCheckpoint(viewer, body.reason);
  }
}
