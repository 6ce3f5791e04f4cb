import type { DispensationView, PharmacyTaskView } from '../../../../shared/contract.js';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '../../../../shared/roles.js';
import { NeutralTextExempt } from '../../common/neutral-text.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { DispensationDto } from './pharmacy.dto.js';
import { PharmacyService } from './pharmacy.service.js';
import { studyRoute } from '../../common/study-route.js';

@ApiTags('pharmacy')
@ApiBearerAuth()
@Controller(studyRoute('pharmacy'))
export class PharmacyController {
  constructor(private readonly pharmacy: PharmacyService) {}

  @Get('tasks')
  @RequirePermission(Permission.ReadPharmacyTasks, Permission.ViewArms)
  tasks(@CurrentViewer() viewer: Viewer): Promise<PharmacyTaskView[]> {
    return this.pharmacy.tasks(viewer);
  }

  @Post('dispensations')
  @NeutralTextExempt(
    ['lotNumber'],
    'a cell lot or medium lot number is shown only to unblinded people (participant and audit views keep it in unblinded details)',
  )
  @RequirePermission(Permission.Dispense, Permission.ViewArms)
  dispense(@CurrentViewer() viewer: Viewer, @Body() body: DispensationDto): Promise<DispensationView> {
    return this.pharmacy.dispense(viewer, body);
  }
}
