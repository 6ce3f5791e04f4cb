import { Injectable } from '@nestjs/common';
import type { StudyMembershipView } from '../../../../shared/contract.js';
import type { Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { StudyRepository } from '../protocol/study.repository.js';

/** The instance's studies as one person may know them (the study switcher). */
@Injectable()
export class StudiesService {
  constructor(private readonly db: DatabaseService) {}

  /** The studies the caller holds a live role in; an instance admin also sees the others (role null). */
  async mine(viewer: Viewer): Promise<StudyMembershipView[]> {
    return this.db.read(async (sql) => {
      const roles = new Map((await StudyRolesRepository.liveForUser(sql, viewer.userId)).map((r) => [r.studyId, r]));
      const instanceAdmin = viewer.role === 'admin';
      return (await StudyRepository.list(sql))
        .filter((s) => instanceAdmin || roles.has(s.id))
        .map((s) => ({
          code: s.code,
          title: s.title,
          status: s.status,
          role: roles.get(s.id)?.role ?? null,
          siteCodes: roles.get(s.id)?.siteCodes ?? [],
        }));
    });
  }
}
