import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AdminUserView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { CreateUserDto, ReasonDto, ResetPasswordDto, UpdateUserDto } from './users.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@RequirePermission(Permission.ManageUsers)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(): Promise<AdminUserView[]> {
    return this.users.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserView> {
    return this.users.get(id);
  }

  @Post()
  create(@CurrentViewer() viewer: Viewer, @Body() body: CreateUserDto): Promise<AdminUserView> {
    return this.users.request(viewer, body);
  }

  @Patch(':id')
  update(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<AdminUserView> {
    return this.users.update(viewer, id, body);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  unlock(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<AdminUserView> {
    return this.users.unlock(viewer, id, body.reason);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  resetPassword(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<AdminUserView> {
    return this.users.resetPassword(viewer, id, body.newPassword, body.reason);
  }
}
