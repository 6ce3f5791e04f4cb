import type {
  DisclosureReport,
  InadvertentView,
  SafetyRevealView,
  SafetySettings,
  SafetyUnblindingView,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { AllowUnblindedResponse, type UnblindedResponse } from '../../common/unblinded-response.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { DisclosureService } from './disclosure.service.js';
import { InadvertentUnblindingService } from './inadvertent-unblinding.service.js';
import { CreateInadvertentReportDto, CreateSafetyUnblindingDto, DisclosureQueryDto } from './safety.dto.js';
import { SafetyUnblindingService } from './safety-unblinding.service.js';
import { studyRoute } from '../../common/study-route.js';

/** Issue 17 items 5–7: safety unblinding, inadvertent-unblinding reports, the end-of-study disclosure. Thin: services do the work. */
@ApiTags('safety')
@ApiBearerAuth()
@Controller(studyRoute())
export class SafetyController {
  constructor(
    private readonly safety: SafetyUnblindingService,
    private readonly inadvertent: InadvertentUnblindingService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Get('safety-unblindings/settings')
  @RequirePermission(Permission.ReadSafetyUnblindings)
  @ApiOperation({
    summary: 'Whether the protocol designates a safety recipient: {enabled, recipientKind: role | email | null}',
  })
  settings(@CurrentViewer() viewer: Viewer): SafetySettings {
    return this.safety.settings(viewer);
  }

  @Post('safety-unblindings')
  @RequirePermission(Permission.RequestSafetyUnblinding)
  @ApiOperation({
    summary:
      "Signed safety unblinding (SUSAR/expedited report) → 201 neutral confirmation; the arm goes only to the protocol's designated recipient. 409 SAFETY_UNBLINDING_UNAVAILABLE when none is set up or reachable",
  })
  create(@CurrentViewer() viewer: Viewer, @Body() body: CreateSafetyUnblindingDto): Promise<SafetyUnblindingView> {
    return this.safety.create(viewer, body);
  }

  @Get('safety-unblindings')
  @RequirePermission(Permission.ReadSafetyUnblindings)
  @ApiOperation({
    summary:
      'Safety unblindings, newest first (never the arm): investigators their sites, pharmacovigilance those addressed to it, monitors and auditors all',
  })
  list(@CurrentViewer() viewer: Viewer): Promise<SafetyUnblindingView[]> {
    return this.safety.list(viewer);
  }

  @Get('safety-unblindings/:id')
  @RequirePermission(Permission.ReadSafetyUnblindings)
  get(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<SafetyUnblindingView> {
    return this.safety.get(viewer, id);
  }

  /** Pharmacovigilance only: the one patient's allocation, each call audited and registered. */
  @Get('safety-unblindings/:id/reveal')
  @RequirePermission(Permission.ReceiveSafetyUnblinding)
  @AllowUnblindedResponse()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Pharmacovigilance only, for a request addressed to its role: {arm, armLabel, sequence | product, periods, …}; every call audited and registered',
  })
  reveal(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UnblindedResponse<SafetyRevealView>> {
    return this.safety.reveal(viewer, id);
  }

  @Post('inadvertent-unblindings')
  @RequirePermission(Permission.ReportInadvertentUnblinding)
  @ApiOperation({
    summary:
      'Signed report of an inadvertent unblinding {participantIds, occurredOn, howItHappened, whoWasUnblinded, impactAssessment, correctiveAction, signature}; free text naming an arm → 400 BLINDING_RISK',
  })
  report(@CurrentViewer() viewer: Viewer, @Body() body: CreateInadvertentReportDto): Promise<InadvertentView> {
    return this.inadvertent.create(viewer, body);
  }

  @Get('inadvertent-unblindings')
  @RequirePermission(Permission.ReadInadvertentUnblindings)
  @ApiOperation({ summary: 'Inadvertent unblinding reports, newest first (medical monitors, auditors)' })
  reports(@CurrentViewer() viewer: Viewer): Promise<InadvertentView[]> {
    return this.inadvertent.list(viewer);
  }

  @Get('inadvertent-unblindings/:id')
  @RequirePermission(Permission.ReadInadvertentUnblindings)
  reportById(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<InadvertentView> {
    return this.inadvertent.get(viewer, id);
  }

  /** After end-of-study unblinding only; investigators see their own sites. */
  @Get('disclosure')
  @RequirePermission(Permission.ReadDisclosure)
  @AllowUnblindedResponse()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Per-site report of the treatment each patient received (investigators: own sites; `?site=`). Audited and registered. Before unblinding: 409 STUDY_NOT_UNBLINDED',
  })
  disclose(
    @CurrentViewer() viewer: Viewer,
    @Query() q: DisclosureQueryDto,
  ): Promise<UnblindedResponse<DisclosureReport>> {
    return this.disclosure.report(viewer, q.site);
  }
}
