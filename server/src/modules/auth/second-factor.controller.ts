import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { RecoveryCodesView, SecondFactorEnrolment } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { AllowDuringEnrolment, RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { ConfirmSecondFactorDto, ResetSecondFactorDto } from './auth.dto.js';
import { SecondFactorService } from './second-factor.service.js';

/** Second factor (TOTP) of local accounts: one's own enrolment, and an administrator's reset of someone else's. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller()
@UseGuards(ThrottlerGuard)
export class SecondFactorController {
  constructor(private readonly secondFactor: SecondFactorService) {}

  /** A new secret for the signed-in person (shown once); it is active only after /confirm. */
  @AllowDuringEnrolment()
  @Post('auth/second-factor/enrol')
  @HttpCode(200)
  enrol(@CurrentViewer() viewer: Viewer): Promise<SecondFactorEnrolment> {
    return this.secondFactor.begin(viewer);
  }

  /** A current code activates the secret; the answer holds the ten recovery codes, shown this once. */
  @AllowDuringEnrolment()
  @Post('auth/second-factor/confirm')
  @HttpCode(200)
  confirm(@CurrentViewer() viewer: Viewer, @Body() body: ConfirmSecondFactorDto): Promise<RecoveryCodesView> {
    return this.secondFactor.confirm(viewer, body.code);
  }

  /** Lost phone: the person enrols again at their next sign-in. Audited with the reason; never one's own. */
  @RequirePermission(Permission.ManageUsers)
  @Post('users/:id/second-factor/reset')
  @HttpCode(204)
  async reset(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResetSecondFactorDto,
  ): Promise<void> {
    await this.secondFactor.reset(viewer, id, body.reason);
  }
}
