import type {
  EnvelopeListView,
  EnvelopesReservedView,
  EnvelopesVoidedView,
  ReconcileResult,
  SheetsResponse,
} from '../../../../shared/contract.js';
import { Body, Controller, Get, Header, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { PrintEnvelopesDto, ReconcileEnvelopeDto, ReserveEnvelopesDto, VoidEnvelopesDto } from './envelopes.dto.js';
import { EnvelopesService } from './envelopes.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('envelopes')
@ApiBearerAuth()
@Controller(studyRoute('envelopes'))
export class EnvelopesController {
  constructor(private readonly envelopes: EnvelopesService) {}

  @Get()
  @RequirePermission(Permission.ReadStudy)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Downtime envelopes (investigators: own sites): number, site, stratum, order, status; `arm` and unused codes only for unblinded roles',
  })
  list(@CurrentViewer() viewer: Viewer): Promise<EnvelopeListView> {
    return this.envelopes.list(viewer);
  }

  @Post('reserve')
  @RequirePermission(Permission.DesignScheme)
  @ApiOperation({
    summary:
      'Set-up only, signed: {siteCode, count, strata?} → the last `count` free entries of each stratum become numbered envelopes',
  })
  reserve(@CurrentViewer() viewer: Viewer, @Body() body: ReserveEnvelopesDto): Promise<EnvelopesReservedView> {
    return this.envelopes.reserve(
      viewer,
      { siteCode: body.siteCode, count: body.count, strata: body.strata },
      body.signature,
    );
  }

  @Post('print')
  @HttpCode(200)
  @RequirePermission(Permission.ReadStudy)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Sheets of unused envelopes {copy, envelopeIds?, siteCode?}; investigator copy (investigator of the site, unblinded roles), pharmacy copy with the arm (unblinded roles). Audited.',
  })
  print(@CurrentViewer() viewer: Viewer, @Body() body: PrintEnvelopesDto): Promise<SheetsResponse> {
    return this.envelopes.print(viewer, body);
  }

  @Post('reconcile')
  @RequirePermission(Permission.Randomize)
  @ApiOperation({
    summary:
      'Signed, header Idempotency-Key: a used envelope {participantId, envelopeNumber, treatmentCode, openedAt, openedBy} → 201 as a randomization, with viaEnvelope',
  })
  async reconcile(
    @CurrentViewer() viewer: Viewer,
    @Body() body: ReconcileEnvelopeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconcileResult> {
    const use = {
      envelopeNumber: body.envelopeNumber,
      treatmentCode: body.treatmentCode,
      openedAt: body.openedAt,
      openedBy: body.openedBy,
    };
    const result = await this.envelopes.reconcile(viewer, body.participantId, use, key, body.signature);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    // The stored answer of this intent (a replay returns it byte for byte): a randomization with its envelope.
    return result.body as ReconcileResult;
  }

  @Post('void')
  @HttpCode(200)
  @RequirePermission(Permission.ReadStudy)
  @ApiOperation({
    summary:
      'Signed: void unused envelopes {envelopeIds? | siteCode, reason} (randomization statistician, or investigator of the site)',
  })
  void(@CurrentViewer() viewer: Viewer, @Body() body: VoidEnvelopesDto): Promise<EnvelopesVoidedView> {
    return this.envelopes.void(
      viewer,
      { envelopeIds: body.envelopeIds, siteCode: body.siteCode, reason: body.reason },
      body.signature,
    );
  }
}
