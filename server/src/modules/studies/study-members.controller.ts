import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StudyMemberChangeView, StudyMembersView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { AdmitInstanceAdmin, RequirePermission } from '../../common/permissions.js';
import { studyRoute } from '../../common/study-route.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { ReasonDto } from '../users/users.dto.js';
import { GrantStudyRoleDto } from './studies.dto.js';
import { StudyMembersService } from './study-members.service.js';

/**
 * A study's membership. The study's admin and auditor reach it with their study role; an instance admin reaches
 * it for every study, whether or not they hold a role there (@AdmitInstanceAdmin): they manage who takes part,
 * and see no trial data through it.
 */
@ApiTags('studies')
@ApiBearerAuth()
@Controller(studyRoute('members'))
@AdmitInstanceAdmin()
export class StudyMembersController {
  constructor(private readonly members: StudyMembersService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @RequirePermission(Permission.ReadStudyMembers)
  @ApiOperation({ summary: 'Every role held in the study, live and revoked, and the grants waiting for approval' })
  list(@CurrentViewer() viewer: Viewer): Promise<StudyMembersView> {
    return this.members.list(viewer);
  }

  @Post()
  @HttpCode(200)
  @RequirePermission(Permission.ManageStudyMembers)
  @ApiOperation({
    summary:
      'Give a person a role in the study (replacing the one they hold). A sensitive role is held until a second, independent person approves it (POST /api/role-grants/{id}/decision); nobody grants themselves a role',
  })
  grant(@CurrentViewer() viewer: Viewer, @Body() body: GrantStudyRoleDto): Promise<StudyMemberChangeView> {
    return this.members.grant(viewer, body);
  }

  @Delete(':username')
  @HttpCode(200)
  @RequirePermission(Permission.ManageStudyMembers)
  @ApiOperation({ summary: "Revoke a person's role in the study (the row is kept, revoked)" })
  revoke(
    @CurrentViewer() viewer: Viewer,
    @Param('username') username: string,
    @Body() body: ReasonDto,
  ): Promise<StudyMemberChangeView> {
    return this.members.revoke(viewer, username, body.reason);
  }
}
