/**
 * Routes carry `meta.permissions` (from shared/roles.ts); one global guard sends a signed-out user
 * to sign-in, puts the console in the study of the link (study-guard.ts) and sends a user without the
 * permissions to the 403 page. The server remains the authority.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { Permission } from '../../../shared/roles.js';
import { useSessionStore } from '../stores/session.js';
import { studyGuard } from './study-guard.js';
import { locale, t } from '../i18n/index.js';
import { watch } from 'vue';
// The sign-in page is where every session starts: bundled with the entry, not fetched after it.
import SignInPage from '../pages/SignInPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Anyone may open the page, signed in or not. */
    public?: boolean;
    /** Shown without the application's frame (navigation, study header). */
    bare?: boolean;
    /** Every permission listed is needed (in the current study's role; an instance page: the account's role). */
    permissions?: Permission[];
    /** An instance page (users, sites…): not a study's, checked with the account's own role. */
    instance?: boolean;
    /** Catalogue key (nav.*) of the page title. */
    title?: string;
    /** Shown in the navigation (only to roles holding `permissions`); label and group are catalogue keys (nav.*). */
    nav?: { label: string; group: string; order: number };
  }
}

const P = Permission;
/** A route that only leads elsewhere: the guard (study-guard.ts) always sends its visitor on. */
const Onward = { render: () => null };

/**
 * A study's pages, under /s/:studyCode (paths relative to it): their permissions are checked with the role in
 * that study. A link without a study (`/patients`, from before there were many) opens the same page in the
 * current or remembered study (study-guard.ts).
 */
const studyPages: RouteRecordRaw[] = [
  {
    path: 'patients',
    name: 'patients',
    component: () => import('../pages/participants/PatientsPage.vue'),
    meta: {
      permissions: [P.ReadParticipants],
      title: 'nav.patients',
      nav: { label: 'nav.patients', group: 'nav.groupPatients', order: 10 },
    },
  },
  {
    path: 'patients/new',
    name: 'patient-new',
    component: () => import('../pages/participants/RegisterPatientPage.vue'),
    meta: {
      permissions: [P.RegisterParticipant],
      title: 'nav.registerAPatient',
      nav: { label: 'nav.registerAPatient', group: 'nav.groupPatients', order: 11 },
    },
  },
  {
    path: 'patients/:id/card',
    name: 'patient-card',
    component: () => import('../pages/participants/EmergencyCardPage.vue'),
    props: true,
    meta: { permissions: [P.ReadParticipants, P.RequestUnblinding], title: 'emergency.card.title' },
  },
  {
    path: 'patients/:id',
    name: 'patient',
    component: () => import('../pages/participants/PatientPage.vue'),
    props: true,
    meta: { permissions: [P.ReadParticipants], title: 'nav.patient' },
  },
  {
    path: 'unblinding/requests',
    name: 'unblinding-requests',
    component: () => import('../pages/unblinding/UnblindingRequestsPage.vue'),
    meta: {
      permissions: [P.ReadUnblindingRequests],
      title: 'nav.unblindingRequests',
      nav: { label: 'nav.unblindingRequests', group: 'nav.groupUnblinding', order: 20 },
    },
  },
  {
    path: 'unblinding/register',
    name: 'unblinding-register',
    component: () => import('../pages/unblinding/UnblindingRegisterPage.vue'),
    meta: {
      permissions: [P.ReadUnblindingRegister],
      title: 'nav.unblindingRegister',
      nav: { label: 'nav.unblindingRegister', group: 'nav.groupUnblinding', order: 21 },
    },
  },
  {
    path: 'unblinding/safety',
    name: 'safety-unblindings',
    component: () => import('../pages/unblinding/SafetyUnblindingsPage.vue'),
    meta: {
      permissions: [P.ReadSafetyUnblindings],
      title: 'safety.nav.safety',
      nav: { label: 'safety.nav.safety', group: 'nav.groupUnblinding', order: 22 },
    },
  },
  {
    path: 'unblinding/inadvertent',
    name: 'inadvertent-unblindings',
    component: () => import('../pages/unblinding/InadvertentUnblindingPage.vue'),
    meta: {
      permissions: [P.ReadInadvertentUnblindings],
      title: 'safety.nav.inadvertent',
      nav: { label: 'safety.nav.inadvertent', group: 'nav.groupUnblinding', order: 23 },
    },
  },
  {
    path: 'unblinding/inadvertent/new',
    name: 'inadvertent-report',
    component: () => import('../pages/unblinding/InadvertentReportPage.vue'),
    meta: {
      permissions: [P.ReportInadvertentUnblinding],
      title: 'safety.nav.inadvertentReport',
      nav: { label: 'safety.nav.inadvertentReport', group: 'nav.groupUnblinding', order: 24 },
    },
  },
  {
    path: 'disclosure',
    name: 'disclosure',
    component: () => import('../pages/unblinding/DisclosurePage.vue'),
    meta: {
      permissions: [P.ReadDisclosure],
      title: 'safety.nav.disclosure',
      nav: { label: 'safety.nav.disclosure', group: 'nav.groupUnblinding', order: 25 },
    },
  },
  {
    path: 'pharmacy/tasks',
    name: 'pharmacy-tasks',
    component: () => import('../pages/pharmacy/TasksPage.vue'),
    meta: {
      permissions: [P.ReadPharmacyTasks],
      title: 'nav.preparationTasks',
      nav: { label: 'nav.preparationTasks', group: 'nav.groupPharmacy', order: 30 },
    },
  },
  {
    path: 'envelopes',
    name: 'envelopes',
    component: () => import('../pages/envelopes/EnvelopesPage.vue'),
    meta: {
      permissions: [P.ReadStudy],
      title: 'envelopes.title',
      nav: { label: 'envelopes.nav', group: 'nav.groupRecords', order: 42 },
    },
  },
  {
    path: 'envelopes/sheets',
    name: 'envelope-sheets',
    component: () => import('../pages/envelopes/EnvelopeSheetsPage.vue'),
    meta: { permissions: [P.ReadStudy], title: 'envelopes.sheets.title' },
  },
  {
    path: 'allocation-log',
    name: 'allocation-log',
    component: () => import('../pages/allocation/AllocationLogPage.vue'),
    meta: {
      permissions: [P.ReadAllocationLog],
      title: 'nav.allocationLog',
      nav: { label: 'nav.allocationLog', group: 'nav.groupRecords', order: 40 },
    },
  },
  {
    path: 'statistics/design',
    name: 'design',
    component: () => import('../pages/statistician/DesignPage.vue'),
    meta: {
      permissions: [P.RunSimulations],
      title: 'nav.schemeDesign',
      nav: { label: 'nav.schemeDesign', group: 'nav.groupStatistics', order: 50 },
    },
  },
  {
    path: 'statistics/scheme',
    name: 'scheme',
    component: () => import('../pages/statistician/SchemePage.vue'),
    meta: {
      permissions: [P.DesignScheme],
      title: 'nav.allocationList',
      nav: { label: 'nav.allocationList', group: 'nav.groupStatistics', order: 51 },
    },
  },
  {
    path: 'statistics/study',
    name: 'study-lifecycle',
    component: () => import('../pages/statistician/StudyLifecyclePage.vue'),
    meta: {
      permissions: [P.LockStudy],
      title: 'nav.lockUnblindExport',
      nav: { label: 'nav.lockUnblindExport', group: 'nav.groupStatistics', order: 52 },
    },
  },
  {
    path: 'audit',
    name: 'audit',
    component: () => import('../pages/audit/AuditTrailPage.vue'),
    meta: {
      permissions: [P.ReadAudit],
      title: 'nav.auditTrail',
      nav: { label: 'nav.auditTrail', group: 'nav.groupRecords', order: 60 },
    },
  },
  {
    path: 'audit/integrity',
    name: 'audit-integrity',
    component: () => import('../pages/audit/IntegrityPage.vue'),
    meta: {
      permissions: [P.ReadAudit],
      title: 'nav.chainVerification',
      nav: { label: 'nav.chainVerification', group: 'nav.groupRecords', order: 61 },
    },
  },
  {
    path: 'notifications',
    name: 'notifications',
    component: () => import('../pages/NotificationsPage.vue'),
    meta: {
      permissions: [P.ReadNotifications],
      title: 'nav.notifications',
      nav: { label: 'nav.notifications', group: 'nav.groupYou', order: 90 },
    },
  },
  {
    path: 'admin/access-review',
    name: 'access-review',
    component: () => import('../pages/admin/AccessReviewPage.vue'),
    meta: {
      permissions: [P.ReadAccessReview],
      title: 'accessReview.page.title',
      nav: { label: 'accessReview.page.title', group: 'nav.groupAdministration', order: 74 },
    },
  },
];

/** The instance's pages (meta.instance): they follow the account's own role (users.role), as the server does. */
const instancePages: RouteRecordRaw[] = [
  {
    path: '/admin/users',
    name: 'users',
    component: () => import('../pages/admin/UsersPage.vue'),
    meta: {
      instance: true,
      permissions: [P.ManageUsers],
      title: 'nav.users',
      nav: { label: 'nav.users', group: 'nav.groupAdministration', order: 70 },
    },
  },
  {
    path: '/admin/role-grants',
    name: 'role-grants',
    component: () => import('../pages/admin/RoleGrantsPage.vue'),
    meta: {
      instance: true,
      permissions: [P.ApproveRoleGrants],
      title: 'nav.roleApprovals',
      nav: { label: 'nav.roleApprovals', group: 'nav.groupAdministration', order: 72 },
    },
  },
  {
    path: '/admin/sites',
    name: 'sites',
    component: () => import('../pages/admin/SitesPage.vue'),
    meta: {
      instance: true,
      permissions: [P.ManageSites],
      title: 'nav.sites',
      nav: { label: 'nav.sites', group: 'nav.groupAdministration', order: 71 },
    },
  },
  {
    path: '/admin/qualification',
    name: 'qualification',
    component: () => import('../pages/admin/QualificationPage.vue'),
    meta: {
      instance: true,
      permissions: [P.RunQualification],
      title: 'qualification.page.title',
      nav: { label: 'qualification.page.title', group: 'nav.groupAdministration', order: 73 },
    },
  },
];

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: SignInPage, meta: { public: true, title: 'nav.signIn' } },
  // Opened from the one-time e-mailed link, signed out.
  {
    path: '/set-password',
    name: 'set-password',
    component: () => import('../pages/SetPasswordPage.vue'),
    meta: { public: true, title: 'nav.setYourPassword' },
  },
  // Where the identity provider's sign-in comes back to (server: /api/auth/oidc/callback), signed out.
  {
    path: '/oidc/return',
    name: 'oidc-return',
    component: () => import('../pages/OidcReturnPage.vue'),
    meta: { public: true, title: 'nav.signIn' },
  },
  // A role that signs or unblinds sets up its second factor here before anything else (issue 16).
  {
    path: '/second-factor',
    name: 'second-factor',
    component: () => import('../pages/SecondFactorPage.vue'),
    meta: { bare: true, title: 'nav.secondFactor' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('../pages/ForbiddenPage.vue'),
    meta: { title: 'nav.notAllowed' },
  },
  // Signed in but holding a role in no study: says so (an instance admin is offered the instance's pages).
  {
    path: '/no-study',
    name: 'no-study',
    component: () => import('../pages/NoStudyPage.vue'),
    meta: { title: 'switcher.none.title' },
  },
  // Opens the remembered study (else the first) at the page of the person's role there.
  { path: '/', name: 'home', component: Onward },
  {
    path: '/s/:studyCode',
    children: [{ path: '', name: 'study-home', component: Onward }, ...studyPages],
  },
  ...instancePages,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { title: 'nav.pageNotFound' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (to.meta.public) {
    if (to.name === 'sign-in' && session.signedIn) return { path: '/' };
    return true;
  }
  if (!session.signedIn) return { name: 'sign-in', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  // Until the second factor is set up, the server answers every other page 403 (MFA_ENROLMENT_REQUIRED).
  if (session.needsEnrolment) return to.name === 'second-factor' ? true : { name: 'second-factor' };
  if (to.name === 'second-factor') return { name: 'home' };
  const elsewhere = await studyGuard(router, to);
  if (elsewhere !== true) return elsewhere;
  const needed = to.meta.permissions ?? [];
  const can = to.meta.instance ? session.canInstance : session.can;
  if (!needed.every((p) => can(p))) return { name: 'forbidden', query: { from: to.fullPath } };
  return true;
});

function setDocumentTitle(): void {
  const title = router.currentRoute.value.meta.title;
  document.title = title ? `${t(title)} · blindrand` : 'blindrand';
}
router.afterEach(setDocumentTitle);
// The tab's title follows a language switch too.
watch(locale, setDocumentTitle);
