import bcrypt from 'bcrypt';
import type { PrismaClient } from '../generated/prisma/client';
import type { RoleLevel } from '../generated/prisma/enums';

/** Password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'ChefCloud-demo-2025';

interface DemoUser {
  email: string;
  firstName: string;
  lastName: string;
  roleLevel: RoleLevel;
}

const DEMO_ORGS: { name: string; slug: string; branch: string; users: DemoUser[] }[] = [
  {
    name: 'Demo Bistro',
    slug: 'demo-bistro',
    branch: 'Demo Bistro Downtown',
    users: [
      { email: 'owner@demo-bistro.test', firstName: 'Olivia', lastName: 'Owner', roleLevel: 'L5' },
      { email: 'manager@demo-bistro.test', firstName: 'Marco', lastName: 'Manager', roleLevel: 'L4' },
      { email: 'waiter@demo-bistro.test', firstName: 'Wendy', lastName: 'Waiter', roleLevel: 'L1' },
    ],
  },
  {
    name: 'Other Org',
    slug: 'other-org',
    branch: 'Other Org Main',
    users: [{ email: 'owner@other-org.test', firstName: 'Oscar', lastName: 'Other', roleLevel: 'L5' }],
  },
];

export interface SeedResult {
  seeded: boolean;
  reason: string;
  users: string[];
}

/**
 * Demo data for a fresh database: two orgs and four users. Does nothing when any user
 * exists, so it is safe to run on every start; refuses in production.
 */
export async function seedDemoData(
  prisma: PrismaClient,
  options: { bcryptCost?: number; nodeEnv?: string } = {},
): Promise<SeedResult> {
  if ((options.nodeEnv ?? process.env.NODE_ENV) === 'production') {
    return { seeded: false, reason: 'NODE_ENV=production: demo data is never seeded in production', users: [] };
  }
  const existing = await prisma.user.count();
  if (existing > 0) return { seeded: false, reason: `the database already has ${existing} user(s)`, users: [] };

  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, options.bcryptCost ?? 12);
  const users: string[] = [];
  await prisma.$transaction(async (tx) => {
    for (const org of DEMO_ORGS) {
      const created = await tx.org.create({ data: { name: org.name, slug: org.slug } });
      const branch = await tx.branch.create({ data: { orgId: created.id, name: org.branch, timezone: 'UTC' } });
      for (const user of org.users) {
        await tx.user.create({ data: { ...user, orgId: created.id, branchId: branch.id, passwordHash } });
        users.push(user.email);
      }
    }
  });
  return { seeded: true, reason: 'the database had no users', users };
}
