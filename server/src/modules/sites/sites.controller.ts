import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { SiteView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { RequirePermission } from '../../common/permissions.js';
import { actorOf, CurrentViewer, type Viewer } from '../../common/viewer.js';
import { CreateSiteDto, UpdateSiteDto } from './sites.dto.js';
import { SitesService } from './sites.service.js';

@ApiTags('sites')
@ApiBearerAuth()
@Controller('sites')
@RequirePermission(Permission.ManageSites)
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  list(): Promise<SiteView[]> {
    return this.sites.list();
  }

  @Post()
  create(@CurrentViewer() viewer: Viewer, @Body() body: CreateSiteDto): Promise<SiteView> {
    return this.sites.create(actorOf(viewer), body);
  }

  @Patch(':code')
  update(@CurrentViewer() viewer: Viewer, @Param('code') code: string, @Body() body: UpdateSiteDto): Promise<SiteView> {
    return this.sites.update(actorOf(viewer), code, body);
  }
}
