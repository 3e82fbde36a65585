import bcrypt from 'bcrypt';
import type { PrismaClient } from '../generated/prisma/client';
import type { JobRole, RoleLevel } from '../generated/prisma/enums';
import { DEVELOPMENT_BADGE_HASH_KEY, hashBadge } from '../credentials/badge-hash';

/** Password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'ChefCloud-demo-2025';

/** In-store sign-in of the demo POS staff (documented in the README): PIN login and badge swipe. */
export const DEMO_POS_STAFF = {
  manager: {
    email: 'manager@demo-bistro.test',
    employeeCode: 'DB-MGR001',
    pin: '1234',
    badge: 'CLOUDBADGE:DB-MGR-7734',
  },
  waiter: {
    email: 'waiter@demo-bistro.test',
    employeeCode: 'DB-WAIT001',
    pin: '2580',
    badge: 'CLOUDBADGE:DB-WAIT-4410',
  },
} as const;

interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
  roleLevel: RoleLevel;
  jobRole: JobRole;
}

const DEMO_ORGS: { name: string; slug: string; branch: string; users: DemoUser[] }[] = [
  {
    name: 'Demo Bistro',
    slug: 'demo-bistro',
    branch: 'Demo Bistro Downtown',
    users: [
      { email: 'owner@demo-bistro.test', firstName: 'Olivia', lastName: 'Owner', roleLevel: 'L5', jobRole: 'OWNER' },
      {
        email: 'manager@demo-bistro.test',
        firstName: 'Marco',
        lastName: 'Manager',
        roleLevel: 'L4',
        jobRole: 'MANAGER',
      },
      { email: 'waiter@demo-bistro.test', firstName: 'Wendy', lastName: 'Waiter', roleLevel: 'L1', jobRole: 'WAITER' },
    ],
  },
  {
    name: 'Other Org',
    slug: 'other-org',
    branch: 'Other Org Main',
    users: [
      { email: 'owner@other-org.test', firstName: 'Oscar', lastName: 'Other', roleLevel: 'L5', jobRole: 'OWNER' },
    ],
  },
];

export interface SeedResult {
  seeded: boolean;
  reason: string;
  users: string[];
}

/**
 * Demo data for a fresh database: two orgs and four users, each with a job role; the demo
 * manager and waiter also get a POS PIN and a badge (DEMO_POS_STAFF). Does nothing when any
 * user exists, so it is safe to run on every start; refuses in production. `badgeHashKey` must
 * be the API's BADGE_HASH_KEY (default: the development key, which the API also uses by default).
 */
export async function seedDemoData(
  prisma: PrismaClient,
  options: { bcryptCost?: number; nodeEnv?: string; badgeHashKey?: string } = {},
): Promise<SeedResult> {
  if ((options.nodeEnv ?? process.env.NODE_ENV) === 'production') {
    return { seeded: false, reason: 'NODE_ENV=production: demo data is never seeded in production', users: [] };
  }
  const existing = await prisma.user.count();
  if (existing > 0) return { seeded: false, reason: `the database already has ${existing} user(s)`, users: [] };

  const cost = options.bcryptCost ?? 12;
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, cost);
  const badgeKey = options.badgeHashKey ?? process.env.BADGE_HASH_KEY ?? DEVELOPMENT_BADGE_HASH_KEY;
  const staff = await Promise.all(
    Object.values(DEMO_POS_STAFF).map(async (s) => ({
      email: s.email,
      employeeCode: s.employeeCode,
      pinHash: await bcrypt.hash(s.pin, cost),
      badgeHash: hashBadge(badgeKey, s.badge),
    })),
  );
  // On a database behind this release (tests replaying an old schema), seed what it can hold.
  const [{ current }] = await prisma.$queryRaw<{ current: boolean }[]>`
    SELECT to_regclass('public.employee_profiles') IS NOT NULL AS current`;
  const users: string[] = [];
  await prisma.$transaction(async (tx) => {
    for (const org of DEMO_ORGS) {
      const created = await tx.org.create({ data: { name: org.name, slug: org.slug } });
      const branch = await tx.branch.create({ data: { orgId: created.id, name: org.branch, timezone: 'UTC' } });
      for (const user of org.users) {
        const { jobRole, ...base } = user;
        const row = await tx.user.create({
          data: { ...base, ...(current ? { jobRole } : {}), orgId: created.id, branchId: branch.id, passwordHash },
          select: { id: true },
        });
        const pos = current && staff.find((s) => s.email === user.email);
        if (pos) {
          await tx.employeeProfile.create({
            data: {
              userId: row.id,
              orgId: created.id,
              employeeCode: pos.employeeCode,
              pinHash: pos.pinHash,
              badgeHash: pos.badgeHash,
            },
          });
        }
        users.push(user.email);
      }
    }
  });
  return { seeded: true, reason: 'the database had no users', users };
}
