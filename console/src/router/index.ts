/**
 * Routes carry `meta.permissions` (from shared/roles.ts); one global guard sends a signed-out user
 * to sign-in and a user without the permissions to the 403 page. The server remains the authority.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { Permission, type Role } from '../../../shared/roles.js';
import { useSessionStore } from '../stores/session.js';
// The sign-in page is where every session starts: bundled with the entry, not fetched after it.
import SignInPage from '../pages/SignInPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Anyone may open the page, signed in or not. */
    public?: boolean;
    /** Every permission listed is needed. */
    permissions?: Permission[];
    title?: string;
    /** Shown in the navigation (only to roles holding `permissions`). */
    nav?: { label: string; group: string; order: number };
  }
}

/** The page each role lands on after signing in (its main journey). */
export const HOME_BY_ROLE: Record<Role, string> = {
  admin: '/admin/users',
  investigator: '/patients',
  pharmacist: '/pharmacy/tasks',
  medical_monitor: '/unblinding/requests',
  statistician: '/statistics/design',
  randomization_statistician: '/statistics/scheme',
  auditor: '/audit',
  pharmacovigilance: '/unblinding/safety',
};

const P = Permission;
export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: SignInPage, meta: { public: true, title: 'Sign in' } },
  // Opened from the one-time e-mailed link, signed out.
  { path: '/set-password', name: 'set-password', component: () => import('../pages/SetPasswordPage.vue'), meta: { public: true, title: 'Set your password' } },
  { path: '/forbidden', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue'), meta: { title: 'Not allowed' } },
  { path: '/', name: 'home', redirect: () => { const s = useSessionStore(); return s.role ? HOME_BY_ROLE[s.role] : '/sign-in'; } },

  { path: '/patients', name: 'patients', component: () => import('../pages/participants/PatientsPage.vue'),
    meta: { permissions: [P.ReadParticipants], title: 'Patients', nav: { label: 'Patients', group: 'Patients', order: 10 } } },
  { path: '/patients/new', name: 'patient-new', component: () => import('../pages/participants/RegisterPatientPage.vue'),
    meta: { permissions: [P.RegisterParticipant], title: 'Register a patient', nav: { label: 'Register a patient', group: 'Patients', order: 11 } } },
  { path: '/patients/:id', name: 'patient', component: () => import('../pages/participants/PatientPage.vue'), props: true,
    meta: { permissions: [P.ReadParticipants], title: 'Patient' } },

  { path: '/unblinding/requests', name: 'unblinding-requests', component: () => import('../pages/unblinding/UnblindingRequestsPage.vue'),
    meta: { permissions: [P.ReadUnblindingRequests], title: 'Unblinding requests', nav: { label: 'Unblinding requests', group: 'Unblinding', order: 20 } } },
  { path: '/unblinding/register', name: 'unblinding-register', component: () => import('../pages/unblinding/UnblindingRegisterPage.vue'),
    meta: { permissions: [P.ReadUnblindingRegister], title: 'Unblinding register', nav: { label: 'Unblinding register', group: 'Unblinding', order: 21 } } },

  { path: '/pharmacy/tasks', name: 'pharmacy-tasks', component: () => import('../pages/pharmacy/TasksPage.vue'),
    meta: { permissions: [P.ReadPharmacyTasks], title: 'Preparation tasks', nav: { label: 'Preparation tasks', group: 'Pharmacy', order: 30 } } },
  { path: '/allocation-log', name: 'allocation-log', component: () => import('../pages/allocation/AllocationLogPage.vue'),
    meta: { permissions: [P.ReadAllocationLog], title: 'Allocation log', nav: { label: 'Allocation log', group: 'Records', order: 40 } } },

  { path: '/statistics/design', name: 'design', component: () => import('../pages/statistician/DesignPage.vue'),
    meta: { permissions: [P.RunSimulations], title: 'Scheme design', nav: { label: 'Scheme design', group: 'Statistics', order: 50 } } },
  { path: '/statistics/scheme', name: 'scheme', component: () => import('../pages/statistician/SchemePage.vue'),
    meta: { permissions: [P.DesignScheme], title: 'Allocation list', nav: { label: 'Allocation list', group: 'Statistics', order: 51 } } },
  { path: '/statistics/study', name: 'study-lifecycle', component: () => import('../pages/statistician/StudyLifecyclePage.vue'),
    meta: { permissions: [P.LockStudy], title: 'Lock, unblind & export', nav: { label: 'Lock, unblind & export', group: 'Statistics', order: 52 } } },

  { path: '/audit', name: 'audit', component: () => import('../pages/audit/AuditTrailPage.vue'),
    meta: { permissions: [P.ReadAudit], title: 'Audit trail', nav: { label: 'Audit trail', group: 'Records', order: 60 } } },
  { path: '/audit/integrity', name: 'audit-integrity', component: () => import('../pages/audit/IntegrityPage.vue'),
    meta: { permissions: [P.ReadAudit], title: 'Chain verification', nav: { label: 'Chain verification', group: 'Records', order: 61 } } },

  { path: '/notifications', name: 'notifications', component: () => import('../pages/NotificationsPage.vue'),
    meta: { permissions: [P.ReadNotifications], title: 'Notifications', nav: { label: 'Notifications', group: 'You', order: 90 } } },

  { path: '/admin/users', name: 'users', component: () => import('../pages/admin/UsersPage.vue'),
    meta: { permissions: [P.ManageUsers], title: 'Users', nav: { label: 'Users', group: 'Administration', order: 70 } } },
  { path: '/admin/role-grants', name: 'role-grants', component: () => import('../pages/admin/RoleGrantsPage.vue'),
    meta: { permissions: [P.ApproveRoleGrants], title: 'Role approvals', nav: { label: 'Role approvals', group: 'Administration', order: 72 } } },
  { path: '/admin/sites', name: 'sites', component: () => import('../pages/admin/SitesPage.vue'),
    meta: { permissions: [P.ManageSites], title: 'Sites', nav: { label: 'Sites', group: 'Administration', order: 71 } } },

  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'Page not found' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  const session = useSessionStore();
  if (to.meta.public) {
    if (to.name === 'sign-in' && session.signedIn) return { path: '/' };
    return true;
  }
  if (!session.signedIn) return { name: 'sign-in', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  const needed = to.meta.permissions ?? [];
  if (!needed.every((p) => session.can(p))) return { name: 'forbidden', query: { from: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · blindrand` : 'blindrand';
});
