import type { RandomizationResult, RandomizeInput } from '../../../../shared/contract.js';
import { Body, Controller, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { SignedDto } from '../../common/request.dto.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { RandomizationService } from './randomization.service.js';
import { studyRoute } from '../../common/study-route.js';

export class RandomizeDto extends SignedDto implements RandomizeInput {}

/** `POST /api/participants/:id/randomize`: under the participants' routes, served by this module (which reads participants). */
@ApiTags('participants')
@ApiBearerAuth()
@Controller(studyRoute('participants'))
export class RandomizationController {
  constructor(private readonly randomization: RandomizationService) {}

  @Post(':id/randomize')
  @RequirePermission(Permission.Randomize)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'One key per randomization intent; reuse it when retrying',
  })
  async randomize(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: RandomizeDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RandomizationResult> {
    const result = await this.randomization.randomize(viewer, id, key, body.signature);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    // The stored answer of this intent (a replay returns it byte for byte): written as a RandomizationResult.
    return result.body as RandomizationResult;
  }
}
