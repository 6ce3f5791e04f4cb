import type { SignatureVerificationView } from '../../../../shared/contract.js';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { SignatureService } from './signature.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('signatures')
@ApiBearerAuth()
@Controller(studyRoute('signatures'))
export class SignaturesController {
  constructor(private readonly signatures: SignatureService) {}

  /** The signature's manifestation (printed name, time, meaning) and whether it still binds its record. */
  @Get(':id/verification')
  @RequirePermission(Permission.ReadAudit)
  verify(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<SignatureVerificationView> {
    return this.signatures.verifyStored(viewer.studyId!, id);
  }
}
