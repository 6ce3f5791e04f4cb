import { Body, Controller, Get, HttpCode, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { LoginResponse, UserView } from '../../../../shared/contract.js';
import { AllowDuringEnrolment, Public } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { PasswordLinks } from './password-links.js';
import { LastStudyDto, LoginDto, SetPasswordDto, UpdateMeDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';

@ApiTags('auth')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly links: PasswordLinks,
  ) {}

  /** The one-time link's page posts here; no sign-in (the token is the proof). Every invalid link gets the same 400. */
  @Public()
  @Post('set-password')
  @HttpCode(204)
  async setPassword(@Body() body: SetPasswordDto): Promise<void> {
    await this.links.consume(body.token, body.password);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body.username, body.password, body.totp);
  }

  @ApiBearerAuth()
  @AllowDuringEnrolment()
  @Get('me')
  me(@CurrentViewer() viewer: Viewer): Promise<UserView> {
    return this.auth.me(viewer);
  }

  /** Any signed-in person sets their own language: `{locale: "fr" | "en" | null}` (null: their site's). */
  @ApiBearerAuth()
  @AllowDuringEnrolment()
  @Patch('me')
  updateMe(@CurrentViewer() viewer: Viewer, @Body() body: UpdateMeDto): Promise<UserView> {
    return this.auth.setLocale(viewer, body.locale);
  }

  /** The study the console opens next time (any device): 204, or 404 for a study the person holds no role in. */
  @ApiBearerAuth()
  @Put('me/last-study')
  @HttpCode(204)
  async setLastStudy(@CurrentViewer() viewer: Viewer, @Body() body: LastStudyDto): Promise<void> {
    await this.auth.setLastStudy(viewer, body.studyCode);
  }

  @ApiBearerAuth()
  @AllowDuringEnrolment()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentViewer() viewer: Viewer): Promise<void> {
    await this.auth.logout(viewer);
  }
}
