/**
 * The instance's own audit chain (chain 0, docs/MULTI-STUDY.md decision 4): accounts, sign-in, second
 * factor, identity provider, sites, instance role grants and qualification. Read, verified and
 * checkpointed like a study's chain, by the instance admin or an auditor (users.role): the people who
 * answer for the instance's accounts. No study's reader gets it through a study route.
 */
import { Body, Controller, Get, Header, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuditPage, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { INSTANCE_CHAIN } from '../../database/study-scope.js';
import { AuditQueryDto, CheckpointRequestDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

/** Who reads the instance chain: the instance admin and an auditor (their account's role). */
function requireInstanceAuditor(viewer: Viewer): void {
  if (viewer.role !== 'admin' && viewer.role !== 'auditor')
    throw new DomainError('FORBIDDEN', 'The instance audit trail is read by an administrator or an auditor.');
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin/audit')
export class InstanceAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission(Permission.ReadAudit)
  page(@CurrentViewer() viewer: Viewer, @Query() q: AuditQueryDto): Promise<AuditPage> {
    requireInstanceAuditor(viewer);
    return this.audit.page(viewer, { ...q, limit: q.limit ?? 50 }, INSTANCE_CHAIN);
  }

  /** The instance audit trail as CSV for inspectors: the same filters, every matching entry. */
  @Get('export')
  @RequirePermission(Permission.ReadAudit)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="instance-audit-trail.csv"')
  @Header('Cache-Control', 'no-store')
  exportCsv(@CurrentViewer() viewer: Viewer, @Query() q: AuditQueryDto): Promise<string> {
    requireInstanceAuditor(viewer);
    const { after: _a, limit: _l, ...filter } = q;
    return this.audit.csv(viewer, filter, INSTANCE_CHAIN);
  }

  @Get('verify')
  @RequirePermission(Permission.ReadAudit)
  verify(@CurrentViewer() viewer: Viewer): Promise<VerifyResult> {
    requireInstanceAuditor(viewer);
    return this.audit.verify(INSTANCE_CHAIN, viewer);
  }

  @Get('checkpoints')
  @RequirePermission(Permission.ReadAudit)
  checkpoints(@CurrentViewer() viewer: Viewer): Promise<CheckpointView[]> {
    requireInstanceAuditor(viewer);
    return this.audit.checkpoints(INSTANCE_CHAIN, viewer);
  }

  @Post('checkpoints')
  @RequirePermission(Permission.CreateCheckpoint)
  create(@CurrentViewer() viewer: Viewer, @Body() body: CheckpointRequestDto): Promise<CheckpointView> {
    requireInstanceAuditor(viewer);
    return this.audit.createCheckpoint(viewer, body.reason, INSTANCE_CHAIN);
  }
}
