import type { ParticipantDetailView, ParticipantView, RandomizationResult } from '../../../../shared/contract.js';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { RandomizationService } from '../randomization/randomization.service.js';
import { CorrectionDto, RandomizeDto, RegisterParticipantDto } from './participants.dto.js';
import { ParticipantsService } from './participants.service.js';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('participants')
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService, private readonly randomization: RandomizationService) {}

  @Post()
  @RequirePermission(Permission.RegisterParticipant)
  register(@CurrentViewer() viewer: Viewer, @Body() body: RegisterParticipantDto): Promise<ParticipantDetailView> {
    return this.participants.register(viewer, body);
  }

  @Get()
  @RequirePermission(Permission.ReadParticipants)
  list(@CurrentViewer() viewer: Viewer): Promise<ParticipantView[]> {
    return this.participants.list(viewer);
  }

  @Get(':id')
  @RequirePermission(Permission.ReadParticipants)
  get(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<ParticipantDetailView> {
    return this.participants.get(viewer, id);
  }

  @Post(':id/randomize')
  @RequirePermission(Permission.Randomize)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'One key per randomization intent; reuse it when retrying' })
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

  @Post(':id/corrections')
  @RequirePermission(Permission.CorrectParticipant)
  correct(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string, @Body() body: CorrectionDto): Promise<ParticipantDetailView> {
    return this.participants.correct(viewer, id, body);
  }
}
