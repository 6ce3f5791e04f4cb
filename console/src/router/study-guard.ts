/**
 * Which study the console is in (docs/MULTI-STUDY.md decision 9). The link decides: `/s/:studyCode/...`.
 * A link without a study opens the current one, else the one remembered on the server for this person
 * (PUT /api/auth/me/last-study: the next sign-in, in any browser, opens it), else their first. A study the
 * person holds no role in is "not found", as the server answers.
 */
import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import type { Role } from '../../../shared/roles.js';
import { useSessionStore } from '../stores/session.js';
import { useStudiesStore } from '../stores/studies.js';
import { enterStudy, studyPath } from '../stores/enter-study.js';

/** The page each role lands on in a study (its main journey); an admin's is an instance page. */
const HOME_BY_ROLE: Record<Role, string> = {
  admin: '/admin/users',
  investigator: 'patients',
  pharmacist: 'pharmacy/tasks',
  medical_monitor: 'unblinding/requests',
  statistician: 'statistics/design',
  randomization_statistician: 'statistics/scheme',
  auditor: 'audit',
  pharmacovigilance: 'unblinding/safety',
};

/** Where a role starts in a study. */
function studyHome(role: Role | null, code: string): string {
  const home = role ? HOME_BY_ROLE[role] : '';
  return home.startsWith('/') ? home : studyPath(code, home);
}

/** The same path, shown as "page not found" (the address bar keeps what the person asked for). */
const notFound = (to: RouteLocationNormalized): RouteLocationRaw => ({
  name: 'not-found',
  params: { pathMatch: to.path.slice(1).split('/') },
  query: to.query,
  hash: to.hash,
});

/** Run by the router's guard for every signed-in page: true, or where to go instead. */
export async function studyGuard(router: Router, to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  const studies = useStudiesStore();
  if (session.user) await studies.load(session.user.id);
  const code = typeof to.params.studyCode === 'string' ? to.params.studyCode : null;
  if (code !== null) {
    if (!studies.isOpenable(code)) return notFound(to);
    await enterStudy(code);
    return to.name === 'study-home' ? studyHome(studies.role, code) : true;
  }
  const preferred = studies.preferred(session.user?.lastStudyCode);
  if (preferred && to.name === 'not-found') {
    // A link from before links carried the study (`/patients/…`): the same page in the current study.
    const scoped = router.resolve(studyPath(preferred, to.fullPath));
    if (scoped.name !== 'not-found') return scoped.fullPath;
  }
  if (to.name === 'home' || to.name === 'no-study') {
    if (!preferred) return to.name === 'no-study' ? true : { name: 'no-study' };
    await enterStudy(preferred);
    return studyHome(studies.role, preferred);
  }
  // An instance page (users, sites…) keeps a study current: the header and the switcher show it.
  if (preferred && !studies.current) await enterStudy(preferred);
  return true;
}
