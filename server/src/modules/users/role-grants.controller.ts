import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RoleGrantView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { GrantDecisionDto, GrantListQueryDto } from './users.dto.js';
import { RoleGrantsService } from './role-grants.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('role-grants')
@RequirePermission(Permission.ApproveRoleGrants)
export class RoleGrantsController {
  constructor(private readonly grants: RoleGrantsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Held grants of sensitive roles (pharmacist, randomization statistician, trial statistician, medical monitor); ?status=pending|approved|rejected',
  })
  list(@Query() q: GrantListQueryDto): Promise<RoleGrantView[]> {
    return this.grants.list(q.status ?? null);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Signed approval or rejection by a second person who is not the requester, not the subject, and independent of the requester (neither created, reset or re-addressed the other's account)",
  })
  decide(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: GrantDecisionDto,
  ): Promise<RoleGrantView> {
    return this.grants.decide(viewer, id, body.approve, body.comment, body.signature);
  }
}
