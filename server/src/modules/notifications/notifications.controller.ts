import type { NotificationInbox } from '../../../../shared/contract.js';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { NotificationsService } from './notifications.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller(studyRoute('notifications'))
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @RequirePermission(Permission.ReadNotifications)
  @ApiOperation({
    summary:
      "The caller's inbox: `{items:[{id, kind, title, body, entityType, entityId, createdAt, readAt, read}], unread}`, newest first",
  })
  inbox(@CurrentViewer() viewer: Viewer): Promise<NotificationInbox> {
    return this.notifications.inbox(viewer);
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequirePermission(Permission.ReadNotifications)
  @ApiOperation({ summary: "Marks one of the caller's notifications read; answers the inbox" })
  markRead(@CurrentViewer() viewer: Viewer, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationInbox> {
    return this.notifications.markRead(viewer, id);
  }
}
