import type {
  AccessReviewRecordDetail,
  AccessReviewRecordView,
  AccessReviewReport,
  AccessReviewSchedule,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { AccessReviewDto, StudyQueryDto } from './access-review.dto.js';
import { AccessReviewService } from './access-review.service.js';

/** The periodic access review of a study (admin signs; admin and auditor read). `?study=CODE` on every route. */
@ApiTags('access-review')
@ApiBearerAuth()
@Controller('access-review')
@RequirePermission(Permission.ReadAccessReview)
export class AccessReviewController {
  constructor(private readonly reviews: AccessReviewService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  report(@Query() q: StudyQueryDto): Promise<AccessReviewReport> {
    return this.reviews.report(q.study);
  }

  @Get('csv')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  async csv(@Query() q: StudyQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.reviews.csv(q.study);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="access-review-${q.study.replace(/[^\w.-]/g, '_')}.csv"`,
    );
    return csv;
  }

  @Get('schedule')
  schedule(@Query() q: StudyQueryDto): Promise<AccessReviewSchedule> {
    return this.reviews.schedule(q.study);
  }

  @Get('reviews')
  list(@Query() q: StudyQueryDto): Promise<AccessReviewRecordView[]> {
    return this.reviews.list(q.study);
  }

  @Get('reviews/:id')
  get(@Query() q: StudyQueryDto, @Param('id', ParseUUIDPipe) id: string): Promise<AccessReviewRecordDetail> {
    return this.reviews.get(q.study, id);
  }

  @Post('reviews')
  @HttpCode(201)
  @RequirePermission(Permission.ReadAccessReview, Permission.SignAccessReview)
  sign(
    @CurrentViewer() viewer: Viewer,
    @Query() q: StudyQueryDto,
    @Body() body: AccessReviewDto,
  ): Promise<AccessReviewRecordView> {
    return this.reviews.sign(viewer, q.study, body);
  }
}
