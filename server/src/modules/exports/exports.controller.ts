import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { ExportsService } from './exports.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('exports')
@ApiBearerAuth()
@Controller(studyRoute('exports'))
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('cdisc')
  // No ViewArms here: the trial statistician holds the key only after unblinding, which the service checks.
  @RequirePermission(Permission.ExportCdisc)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'Statistician, after end-of-study unblinding (else 409 STUDY_NOT_UNBLINDED): CSV with USUBJID, SITEID, RANDNO, RANDDT, ARMCD, ARM, ACTARMCD, ACTARM, ' +
      'for a crossover TRTSEQP, TRT01P, TRT02P…, then one column per stratification factor (its id in capitals, e.g. COURSE, EDSS)',
  })
  async cdisc(@CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.exports.cdisc(viewer);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="cdisc-adsl.csv"');
    return csv;
  }
}
