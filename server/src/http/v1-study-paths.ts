/**
 * The v1 paths. Before an instance held many studies, study routes had no study in their path
 * (`/api/participants`); every client written against that contract (scripts, the EDC bridge, the tests of
 * the first releases) keeps working: such a path is read as the same route of the instance's first study
 * (`/api/studies/<its code>/participants`), with every rule of the scoped route (the 404 for a caller with
 * no role in it, the study's role and blinding). New clients use the scoped paths; docs/API.md says so.
 */
import type { NextFunction, Request, Response } from 'express';
import type { DatabaseService } from '../database/database.service.js';
import { FIRST_STUDY_ID } from '../database/study-scope.js';
import { StudyRepository } from '../modules/protocol/study.repository.js';
import { INSTANCE_API_ROOTS } from '../../../shared/study-paths.js';

export function v1StudyPaths(db: () => DatabaseService) {
  let firstCode: string | null = null;
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const match = /^\/api\/([^/?#]+)/.exec(req.url);
    if (!match || INSTANCE_API_ROOTS.has(match[1])) return next();
    try {
      // The code never changes once the study exists; until then there is nothing to rewrite to.
      firstCode ??= (await db().read((sql) => StudyRepository.find(sql, FIRST_STUDY_ID)))?.code ?? null;
    } catch (err) {
      return next(err);
    }
    if (firstCode) {
      const scoped = `/api/studies/${encodeURIComponent(firstCode)}${req.url.slice(4)}`;
      req.url = scoped;
      req.originalUrl = scoped;
    }
    next();
  };
}
