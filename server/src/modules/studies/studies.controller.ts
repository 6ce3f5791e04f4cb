import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { StudyMembershipView } from '../../../../shared/contract.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { StudiesService } from './studies.service.js';

/** Instance route: which studies the caller can open. Any signed-in person; each sees only their own. */
@ApiTags('studies')
@ApiBearerAuth()
@Controller('studies')
export class StudiesController {
  constructor(private readonly studies: StudiesService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  list(@CurrentViewer() viewer: Viewer): Promise<StudyMembershipView[]> {
    return this.studies.mine(viewer);
  }
}
