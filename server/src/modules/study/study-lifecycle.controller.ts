import type {
  ActivationSummaryView,
  LockSummaryView,
  ReleasedSchemeView,
  StudyView,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { LockStudyDto, UnblindStudyDto } from './study-lifecycle.dto.js';
import { StudyLifecycleService } from './study-lifecycle.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('study')
@ApiBearerAuth()
@Controller(studyRoute('study'))
export class StudyLifecycleController {
  constructor(private readonly lifecycle: StudyLifecycleService) {}

  @Get('activation-summary')
  @RequirePermission(Permission.ActivateStudy)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "Before activation: the draft's latest rehearsal and its warnings `{schemeVersion, rehearsed, rehearsal, warnings:[{code, stratum, atPatient}], overrideRequired}`",
  })
  activationSummary(@CurrentViewer() viewer: Viewer): Promise<ActivationSummaryView> {
    return this.lifecycle.activationSummary(viewer);
  }

  @Get('lock-summary')
  @RequirePermission(Permission.LockStudy)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Before the lock: `{openUnblindingRequests:[…], undispensed:[{screeningNumber, siteCode, period, periodLabel, dueBy}]}` (never an arm)',
  })
  lockSummary(@CurrentViewer() viewer: Viewer): Promise<LockSummaryView> {
    return this.lifecycle.lockSummary(viewer);
  }

  @Post('lock')
  @HttpCode(200)
  @RequirePermission(Permission.LockStudy)
  @ApiOperation({
    summary:
      'active → locked, signed {signature, reason?}. Afterwards registration, randomization, corrections, dispensing and unblinding requests answer 409 STUDY_NOT_ACTIVE.',
  })
  lock(@CurrentViewer() viewer: Viewer, @Body() body: LockStudyDto): Promise<StudyView> {
    return this.lifecycle.lock(viewer, body);
  }

  @Post('unblind')
  @HttpCode(200)
  @RequirePermission(Permission.UnblindStudy)
  @ApiOperation({
    summary:
      "locked → unblinded with two different statisticians' signatures in one request: {signature: {password, meaning?}, secondSignature: {username, password, meaning?}}. " +
      'Missing co-signature → 400; the same statistician twice → 403; a wrong password → 401 SIGNATURE_INVALID; a study not locked → 409 STUDY_NOT_LOCKED. Releases the CDISC export and the seed.',
  })
  unblind(@CurrentViewer() viewer: Viewer, @Body() body: UnblindStudyDto): Promise<StudyView> {
    return this.lifecycle.unblind(viewer, body);
  }

  @Get('scheme/release')
  @RequirePermission(Permission.ReadScheme)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'After unblinding: the scheme with its seed and every parameter needed to regenerate the list and check the fingerprint published at activation (before: 409 STUDY_NOT_UNBLINDED)',
  })
  released(@CurrentViewer() viewer: Viewer): Promise<ReleasedSchemeView> {
    return this.lifecycle.releasedScheme(viewer);
  }
}
