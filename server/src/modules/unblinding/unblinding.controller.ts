import type {
  EmergencyCardView,
  RevealView,
  UnblindingRegisterEntry,
  UnblindingRequestView,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { AllowUnblindedResponse, type UnblindedResponse } from '../../common/unblinded-response.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { ListQueryDto } from '../../common/request.dto.js';
import { CreateUnblindingRequestDto, UnblindingDecisionDto, UnblindingListQueryDto } from './unblinding.dto.js';
import { UnblindingRequestsService } from './unblinding-requests.service.js';
import { UnblindingRevealService } from './unblinding-reveal.service.js';
import { EmergencyCardService } from './emergency-card.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('unblinding')
@ApiBearerAuth()
@Controller(studyRoute())
export class UnblindingController {
  constructor(
    private readonly requests: UnblindingRequestsService,
    private readonly reveals: UnblindingRevealService,
    private readonly cards: EmergencyCardService,
  ) {}

  @Post('unblinding-requests')
  @RequirePermission(Permission.RequestUnblinding)
  @ApiOperation({
    summary:
      'Signed emergency unblinding request for a randomized patient of your site → 201 {id, status, …}; status is `approved` at once under break-the-glass, else `pending`',
  })
  create(@CurrentViewer() viewer: Viewer, @Body() body: CreateUnblindingRequestDto): Promise<UnblindingRequestView> {
    return this.requests.create(viewer, body);
  }

  @Get('unblinding-requests')
  @RequirePermission(Permission.ReadUnblindingRequests)
  @ApiOperation({
    summary: 'Requests (blinded): investigators see those of their own sites; medical monitors and auditors all',
  })
  @ApiQuery({ name: 'participantId', required: false, description: "Only this patient's requests (newest first)" })
  list(@CurrentViewer() viewer: Viewer, @Query() q: UnblindingListQueryDto): Promise<UnblindingRequestView[]> {
    return this.requests.list(viewer, q.participantId);
  }

  @Get('unblinding-requests/:id')
  @RequirePermission(Permission.ReadUnblindingRequests)
  get(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<UnblindingRequestView> {
    return this.requests.get(viewer, id);
  }

  @Post('unblinding-requests/:id/decision')
  @HttpCode(200)
  @RequirePermission(Permission.DecideUnblinding)
  @ApiOperation({
    summary:
      "Signed decision {approve, comment, signature}: approve/deny a pending request (two-person: a second, different approver), or review a break-the-glass request afterwards. Never one's own request.",
  })
  decide(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UnblindingDecisionDto,
  ): Promise<UnblindingRequestView> {
    return this.requests.decide(viewer, id, body);
  }

  /** The only route allowed to answer an arm to a blinded caller — and only the requester of an approved request. */
  @Get('unblinding-requests/:id/reveal')
  @RequirePermission(Permission.RequestUnblinding)
  @AllowUnblindedResponse()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'The requester only, once approved: {participantId, arm, armLabel, sequence (crossover) | product (parallel), periods:[{period, product, productLabel}]}. Every call is audited and registered.',
  })
  reveal(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UnblindedResponse<RevealView>> {
    return this.reveals.reveal(viewer, id);
  }

  @Get('participants/:id/emergency-card')
  @RequirePermission(Permission.RequestUnblinding)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "The randomized patient's wallet card: {screeningNumber, siteCode, siteName, randomizationNumber, treatmentCode, studyCode, studyTitle, contacts, url}; `url` (PUBLIC_URL) opens the patient's unblinding section. Never an arm.",
  })
  card(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<EmergencyCardView> {
    return this.cards.card(viewer, id);
  }

  @Get('unblinding-register')
  @RequirePermission(Permission.ReadUnblindingRegister)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Who has seen which patient's allocation, when and why (never the arm); `?format=csv`" })
  async register(
    @CurrentViewer() viewer: Viewer,
    @Query() q: ListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnblindingRegisterEntry[] | string> {
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="unblinding-register.csv"');
      return this.reveals.registerCsv(viewer);
    }
    return this.reveals.register(viewer);
  }
}
