/**
 * The demo accounts (API.md, "Demo mode"): plain data, apart from the seeding (demo-seed.ts), so that test
 * support can name them without loading the server's modules (several seconds per Jest test file).
 */
import type { Role } from '../../../../shared/roles.js';

/**
 * The demo accounts that can sign or unblind have a second factor with THIS secret (base32; the RFC 6238
 * test key "12345678901234567890"): published, so demo-only like the rest of the demo. Add it to an
 * authenticator app to sign in to a demo instance. Never seeded outside the demo.
 */
export const DEMO_TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Demo users have e-mail addresses at blindrand.local, so a configured SMTP server receives their notifications. */
export const DEMO_USERS: Array<{
  username: string;
  displayName: string;
  role: Role;
  siteCodes: string[];
  email: string;
}> = [
  { username: 'admin', displayName: 'Alex Admin', role: 'admin', siteCodes: [], email: 'admin@blindrand.local' },
  {
    username: 'investigator1',
    displayName: 'Dr. Ines Investigator (Site A)',
    role: 'investigator',
    siteCodes: ['A'],
    email: 'investigator1@blindrand.local',
  },
  {
    username: 'investigator2',
    displayName: 'Dr. Ivo Investigator (Site B)',
    role: 'investigator',
    siteCodes: ['B'],
    email: 'investigator2@blindrand.local',
  },
  {
    username: 'pharmacist',
    displayName: 'Pia Pharmacist (cell lab)',
    role: 'pharmacist',
    siteCodes: [],
    email: 'pharmacist@blindrand.local',
  },
  {
    username: 'monitor',
    displayName: 'Dr. Max Monitor',
    role: 'medical_monitor',
    siteCodes: [],
    email: 'monitor@blindrand.local',
  },
  {
    username: 'statistician',
    displayName: 'Stella Statistician',
    role: 'statistician',
    siteCodes: [],
    email: 'statistician@blindrand.local',
  },
  {
    username: 'statistician2',
    displayName: 'Sam Statistician',
    role: 'statistician',
    siteCodes: [],
    email: 'statistician2@blindrand.local',
  },
  {
    username: 'randstat',
    displayName: 'Rana Randomization-Statistician',
    role: 'randomization_statistician',
    siteCodes: [],
    email: 'randstat@blindrand.local',
  },
  {
    username: 'auditor',
    displayName: 'Aude Auditor',
    role: 'auditor',
    siteCodes: [],
    email: 'auditor@blindrand.local',
  },
];
