/**
 * Which study a request is for, and the caller's role there (docs/MULTI-STUDY.md decisions 5 and 6).
 * The study comes from the route (`/api/studies/:studyCode/...`), never from a body. A caller who holds no
 * live role in the study gets the same 404 as for a code that does not exist, so that probing codes tells
 * nothing about which studies the instance holds.
 */
import { Injectable } from '@nestjs/common';
import { requiresSecondFactor } from '../../../shared/roles.js';
import { DomainError } from '../common/domain-error.js';
import type { Viewer } from '../common/viewer.js';
import { DatabaseService } from '../database/database.service.js';
import { StudyRolesRepository } from '../modules/accounts/study-roles.repository.js';
import { StudyRepository } from '../modules/protocol/study.repository.js';
import { ProtocolService } from '../modules/protocol/protocol.service.js';

/** Study codes are short identifiers (shared/protocol: `study.code`); anything else is not looked up. */
const STUDY_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const studyNotFound = (code: string) =>
  new DomainError('NOT_FOUND', `No study "${code.slice(0, 64)}" was found among the studies you take part in.`);

@Injectable()
export class StudyAccess {
  constructor(
    private readonly db: DatabaseService,
    private readonly protocols: ProtocolService,
  ) {}

  /**
   * The viewer as it acts in this study: the study's role and sites, the study's status (blindness).
   * `admitInstanceAdmin` (@AdmitInstanceAdmin routes: a study's membership): an instance admin (users.role, the
   * role on instance routes) acts as `admin` there, with no sites, whether or not they hold a study role.
   */
  async scope(viewer: Viewer, studyCode: string, admitInstanceAdmin = false): Promise<Viewer> {
    if (!STUDY_CODE.test(studyCode)) throw studyNotFound(studyCode);
    const asInstanceAdmin = admitInstanceAdmin && viewer.role === 'admin';
    const found = await this.db.read(async (sql) => {
      const study = await StudyRepository.findByCode(sql, studyCode);
      const role = !study
        ? null
        : asInstanceAdmin
          ? { role: 'admin' as const, siteCodes: [] }
          : await StudyRolesRepository.live(sql, study.id, viewer.userId);
      return study && role ? { study, role } : null;
    });
    if (!found) throw studyNotFound(studyCode);
    const { study, role } = found;
    // A study created by another instance of a cluster since this one started.
    await this.protocols.load(study.id);
    return {
      ...viewer,
      role: role.role,
      siteCodes: role.siteCodes,
      studyId: study.id,
      studyCode: study.code,
      studyStatus: study.status,
      enrolmentOnly:
        viewer.enrolmentOnly ||
        (requiresSecondFactor(role.role) && !viewer.secondFactorEnrolled && !viewer.viaProvider),
    };
  }
}
