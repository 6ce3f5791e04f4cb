import type {
  AccessReviewRecordDetail,
  AccessReviewRecordView,
  AccessReviewReport,
  AccessReviewSchedule,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { AccessReviewDto } from './access-review.dto.js';
import { AccessReviewService } from './access-review.service.js';

/**
 * The periodic access review of a study (admin signs; admin and auditor read). Under /studies/:studyCode like every
 * study route will be (docs/MULTI-STUDY.md, decision 5); an unknown code answers 404.
 */
@ApiTags('access-review')
@ApiBearerAuth()
@Controller('studies/:studyCode/access-review')
@RequirePermission(Permission.ReadAccessReview)
export class AccessReviewController {
  constructor(private readonly reviews: AccessReviewService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  report(@Param('studyCode') studyCode: string): Promise<AccessReviewReport> {
    return this.reviews.report(studyCode);
  }

  @Get('csv')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  async csv(@Param('studyCode') studyCode: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.reviews.csv(studyCode);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="access-review-${studyCode.replace(/[^\w.-]/g, '_')}.csv"`,
    );
    return csv;
  }

  @Get('schedule')
  schedule(@Param('studyCode') studyCode: string): Promise<AccessReviewSchedule> {
    return this.reviews.schedule(studyCode);
  }

  @Get('reviews')
  list(@Param('studyCode') studyCode: string): Promise<AccessReviewRecordView[]> {
    return this.reviews.list(studyCode);
  }

  @Get('reviews/:id')
  get(
    @Param('studyCode') studyCode: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AccessReviewRecordDetail> {
    return this.reviews.get(studyCode, id);
  }

  @Post('reviews')
  @HttpCode(201)
  @RequirePermission(Permission.ReadAccessReview, Permission.SignAccessReview)
  sign(
    @CurrentViewer() viewer: Viewer,
    @Param('studyCode') studyCode: string,
    @Body() body: AccessReviewDto,
  ): Promise<AccessReviewRecordView> {
    return this.reviews.sign(viewer, studyCode, body);
  }
}
