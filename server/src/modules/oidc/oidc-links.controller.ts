import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AdminUserView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { OidcLinkDto } from './oidc.dto.js';
import { OidcLinksService } from './oidc-links.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/:id/identity')
@RequirePermission(Permission.ManageUsers)
export class OidcLinksController {
  constructor(private readonly links: OidcLinksService) {}

  @Put()
  @ApiOperation({
    summary:
      "Links the account to a person at the identity provider (their `sub`); not one's own, not a sensitive role",
  })
  link(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OidcLinkDto,
  ): Promise<AdminUserView> {
    return this.links.link(viewer, id, body.subject);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Removes the account's link to the identity provider (its sessions end)" })
  async unlink(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.links.unlink(viewer, id);
  }
}
