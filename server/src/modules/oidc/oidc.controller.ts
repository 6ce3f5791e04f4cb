import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { OidcHandoffResult, OidcProviderView, OidcStartResponse } from '../../../../shared/contract.js';
import { Public } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { OidcHandoffDto } from './oidc.dto.js';
import { OidcService } from './oidc.service.js';

@ApiTags('auth')
@Controller('auth/oidc')
@UseGuards(ThrottlerGuard)
export class OidcController {
  constructor(private readonly oidc: OidcService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Whether sign-in through the identity provider is offered, and its name' })
  provider(): OidcProviderView {
    return this.oidc.provider();
  }

  @Public()
  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts a sign-in at the provider (code flow, PKCE S256); 404 when not configured' })
  start(): Promise<OidcStartResponse> {
    return this.oidc.start(null);
  }

  @ApiBearerAuth()
  @Post('reauth')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A signature by an account linked to the provider: a fresh login there (prompt=login, max_age=0)',
  })
  reauth(@CurrentViewer() viewer: Viewer): Promise<OidcStartResponse> {
    return this.oidc.start(viewer);
  }

  /** The provider sends the browser here; it leaves for the console with a one-time code or an error, never a token. */
  @Public()
  @Get('callback')
  @ApiOperation({ summary: 'The redirect URI to register at the provider: <PUBLIC_URL>/api/auth/oidc/callback' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const target = await this.oidc.callback(new URL(req.originalUrl, 'http://callback.invalid'));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(303, target);
  }

  @Public()
  @Post('handoff')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchanges the one-time code for a session (or learns that approval is awaited)' })
  handoff(@Body() body: OidcHandoffDto): Promise<OidcHandoffResult> {
    return this.oidc.exchange(body.code);
  }
}
