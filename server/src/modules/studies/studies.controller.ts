import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CreatedStudyView, StudyMembershipView } from '../../../../shared/contract.js';
import { Permission } from '../../../../shared/roles.js';
import { NeutralTextExempt } from '../../common/neutral-text.js';
import { RequirePermission } from '../../common/permissions.js';
import { CurrentViewer, type Viewer } from '../../common/viewer.js';
import { CreateStudyDto } from './studies.dto.js';
import { StudiesService } from './studies.service.js';
import { StudyCreationService } from './study-creation.service.js';

/** Instance route: which studies the caller can open (any signed-in person; each sees only their own), and creation. */
@ApiTags('studies')
@ApiBearerAuth()
@Controller('studies')
export class StudiesController {
  constructor(
    private readonly studies: StudiesService,
    private readonly creation: StudyCreationService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  list(@CurrentViewer() viewer: Viewer): Promise<StudyMembershipView[]> {
    return this.studies.mine(viewer);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.CreateStudy)
  @NeutralTextExempt(
    ['protocolYaml'],
    'a protocol file names its arms and products by design (a study is defined by them); it is not an allocation',
  )
  @ApiOperation({
    summary:
      "Create a study from a protocol file: signed by the calling instance admin and co-signed by the new study's trial statistician (who becomes its only member; the admin gets no role). 422 PROTOCOL_INVALID with the problems, 409 for a code in use; nothing is written then.",
  })
  create(@CurrentViewer() viewer: Viewer, @Body() body: CreateStudyDto): Promise<CreatedStudyView> {
    return this.creation.create(viewer, body);
  }
}
