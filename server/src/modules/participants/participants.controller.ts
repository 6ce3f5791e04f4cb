import type { ParticipantDetailView, ParticipantView } from '../../../../shared/contract.js';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { CorrectionDto, RegisterParticipantDto } from './participants.dto.js';
import { ParticipantsService } from './participants.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('participants')
@ApiBearerAuth()
@Controller(studyRoute('participants'))
export class ParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

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

  @Post(':id/corrections')
  @RequirePermission(Permission.CorrectParticipant)
  correct(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CorrectionDto,
  ): Promise<ParticipantDetailView> {
    return this.participants.correct(viewer, id, body);
  }
}
