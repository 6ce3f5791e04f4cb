import type { QualificationReport, QualificationSummary } from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { RunQualificationDto } from './qualification.dto.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { QualificationService } from './qualification.service.js';

/** Installation and operational qualification of this instance (admin only). */
@ApiTags('qualification')
@ApiBearerAuth()
@Controller('admin/qualification')
@RequirePermission(Permission.RunQualification)
export class QualificationController {
  constructor(private readonly qualification: QualificationService) {}

  /** Runs every check (tens of seconds) and answers the summary of the signed, stored report. */
  @Post()
  @HttpCode(201)
  run(@CurrentViewer() viewer: Viewer, @Body() body: RunQualificationDto): Promise<QualificationSummary> {
    return this.qualification.run(viewer, { installationOnly: body?.installationOnly === true });
  }

  @Get()
  list(): Promise<QualificationSummary[]> {
    return this.qualification.list();
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<QualificationReport> {
    return this.qualification.get(id);
  }

  @Get(':id/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  html(@Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.qualification.html(id);
  }
}
