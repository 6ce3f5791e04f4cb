import type {
  RehearsalResult,
  SchemeDesignView,
  SchemeView,
  SimulationResponse,
  StudySignaturesView,
  StudyView,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/domain-error.js';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { NeutralTextExempt } from '../../common/neutral-text.js';
import { RequirePermission } from '../../common/permissions.js';
import { actorOf, CurrentViewer, isBlindedViewer, type Viewer } from '../../common/viewer.js';
import { ListQueryDto } from '../../common/request.dto.js';
import { RehearsalService } from './rehearsal.service.js';
import { GenerateSchemeDto, ImportSchemeDto, RehearsalDto, SimulationDto } from './study.dto.js';
import { ActivateDto } from './study-lifecycle.dto.js';
import { StudyService } from './study.service.js';
import { SimulationService } from './simulation.service.js';
import { toSchemeDesignView, toSchemeView } from './scheme.views.js';
import { studyRoute } from '../../common/study-route.js';

/** A list import arrives as text/csv or as JSON `{csv}`; either way it must be non-empty text. */
function csvFromBody(body: unknown): string {
  const csv = typeof body === 'string' ? body : (body as { csv?: unknown } | null)?.csv;
  if (typeof csv !== 'string' || csv.trim() === '')
    throw new DomainError(
      'VALIDATION_FAILED',
      'Send the list as text/csv, or as JSON {"csv": "…"} (header: stratum,position,arm,treatment_code).',
    );
  return csv;
}

@ApiTags('study')
@ApiBearerAuth()
@Controller(studyRoute())
export class StudyController {
  constructor(
    private readonly study: StudyService,
    private readonly rehearsal: RehearsalService,
    private readonly simulation: SimulationService,
  ) {}

  @Get('study')
  @RequirePermission(Permission.ReadStudy)
  get(@CurrentViewer() viewer: Viewer): Promise<StudyView> {
    return this.study.view(viewer);
  }

  @Get('study/signatures')
  @ApiOperation({
    summary:
      "Printed name, meaning and time of the study's signed acts: {activation, lock, unblinding: [first, second]} (21 CFR 11.50(b)). Never an arm.",
  })
  @RequirePermission(Permission.ReadStudy)
  signatures(@CurrentViewer() viewer: Viewer): Promise<StudySignaturesView> {
    return this.study.signatureManifests(viewer);
  }

  @Post('study/scheme')
  @NeutralTextExempt(
    '*',
    'method and parameters are codes; the seed phrase is hashed into the seed and never stored or shown',
  )
  @RequirePermission(Permission.DesignScheme, Permission.ViewArms)
  async generate(@CurrentViewer() viewer: Viewer, @Body() body: GenerateSchemeDto): Promise<SchemeView> {
    await this.study.generate(actorOf(viewer), body);
    return toSchemeView(await this.study.schemeDocument(viewer.studyId!), false);
  }

  @Post('study/scheme/import')
  @NeutralTextExempt('*', 'the list itself holds the arms; only unblinded people read it')
  @RequirePermission(Permission.DesignScheme, Permission.ViewArms)
  @ApiBody({ type: ImportSchemeDto, description: 'JSON {csv}, or the CSV itself as text/csv' })
  async import(@CurrentViewer() viewer: Viewer, @Body() body: unknown): Promise<SchemeView> {
    await this.study.import(actorOf(viewer), csvFromBody(body));
    return toSchemeView(await this.study.schemeDocument(viewer.studyId!), false);
  }

  @Get('study/scheme')
  @RequirePermission(Permission.ReadScheme)
  @Header('Cache-Control', 'no-store')
  async scheme(
    @CurrentViewer() viewer: Viewer,
    @Query() q: ListQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SchemeView | SchemeDesignView | string> {
    const doc = await this.study.schemeDocument(viewer.studyId!);
    // The trial statistician reads the design they chose, never the list, until end-of-study unblinding.
    if (isBlindedViewer(viewer)) {
      if (q.format === 'csv')
        throw new DomainError(
          'FORBIDDEN',
          'The allocation list is shown only to the randomization statistician until end-of-study unblinding.',
        );
      return toSchemeDesignView(doc);
    }
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="allocation-list-v${doc.record.version}.csv"`);
      return doc.csv;
    }
    return toSchemeView(doc, true);
  }

  @Post('study/activate')
  @HttpCode(200)
  @RequirePermission(Permission.ActivateStudy)
  @ApiOperation({
    summary:
      "Signed {signature, overrideReason?}: setup → active. When the latest rehearsal of the draft had warnings (a stratum's list ran out), an overrideReason is required (400 VALIDATION_FAILED with details.warnings otherwise); it is signed and audited.",
  })
  activate(@CurrentViewer() viewer: Viewer, @Body() body: ActivateDto): Promise<StudyView> {
    return this.study.activate(viewer, body.signature, body.overrideReason);
  }

  @Post('study/rehearsal')
  @NeutralTextExempt('*', 'a throwaway copy: nothing of the request is stored')
  @HttpCode(200)
  @RequirePermission(Permission.DesignScheme, Permission.ViewArms)
  rehearse(@CurrentViewer() viewer: Viewer, @Body() body: RehearsalDto): Promise<RehearsalResult> {
    return this.rehearsal.rehearse(body.patients, body.seed ?? 'rehearsal', viewer);
  }

  @Post('simulations')
  @NeutralTextExempt('*', 'nothing of the request is stored')
  @HttpCode(200)
  @RequirePermission(Permission.RunSimulations)
  simulate(@CurrentViewer() viewer: Viewer, @Body() body: SimulationDto): Promise<SimulationResponse> {
    return this.simulation.run(body, viewer);
  }
}
