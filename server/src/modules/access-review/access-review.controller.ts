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
  report(@CurrentViewer() viewer: Viewer): Promise<AccessReviewReport> {
    return this.reviews.report(viewer);
  }

  @Get('csv')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  async csv(@CurrentViewer() viewer: Viewer, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.reviews.csv(viewer);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="access-review-${(viewer.studyCode ?? '').replace(/[^\w.-]/g, '_')}.csv"`,
    );
    return csv;
  }

  @Get('schedule')
  schedule(@CurrentViewer() viewer: Viewer): Promise<AccessReviewSchedule> {
    return this.reviews.schedule(viewer);
  }

  @Get('reviews')
  list(@CurrentViewer() viewer: Viewer): Promise<AccessReviewRecordView[]> {
    return this.reviews.list(viewer);
  }

  @Get('reviews/:id')
  get(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<AccessReviewRecordDetail> {
    return this.reviews.get(viewer, id);
  }

  @Post('reviews')
  @HttpCode(201)
  @RequirePermission(Permission.ReadAccessReview, Permission.SignAccessReview)
  sign(@CurrentViewer() viewer: Viewer, @Body() body: AccessReviewDto): Promise<AccessReviewRecordView> {
    return this.reviews.sign(viewer, body);
  }
}
