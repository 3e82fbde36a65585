/**
 * The demo seed (`npm start` on an empty database, `npm run db:seed`) against real PostgreSQL.
 */
import bcrypt from 'bcrypt';
import { createPrismaClient } from '../src/client';
import { runPrisma } from '../src/migrations/run-prisma';
import { hashBadge } from '../src/credentials/badge-hash';
import { DEMO_PASSWORD, DEMO_POS_STAFF, seedDemoData } from '../src/seed/demo-seed';
import { createTestDatabase, npmRun, type TestDatabase } from '../src/testing';

describe('demo seed (real PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase({ prefix: 'seed' });
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('creates the two demo orgs and four users with their roles, hashed with the given cost', async () => {
    const db = await fresh();
    const prisma = createPrismaClient({ url: db.url });
    try {
      const result = await seedDemoData(prisma, {
        bcryptCost: 4,
        nodeEnv: 'development',
        badgeHashKey: 'development-key-for-test',
      });
      expect(result).toMatchObject({
        seeded: true,
        users: [
          'owner@demo-bistro.test',
          'manager@demo-bistro.test',
          'waiter@demo-bistro.test',
          'owner@other-org.test',
        ],
      });
      const users = await prisma.user.findMany({ include: { org: true }, orderBy: { email: 'asc' } });
      expect(users.map((u) => [u.email, u.roleLevel, u.jobRole, u.org.slug, u.org.name])).toEqual([
        ['manager@demo-bistro.test', 'L4', 'MANAGER', 'demo-bistro', 'Demo Bistro'],
        ['owner@demo-bistro.test', 'L5', 'OWNER', 'demo-bistro', 'Demo Bistro'],
        ['owner@other-org.test', 'L5', 'OWNER', 'other-org', 'Other Org'],
        ['waiter@demo-bistro.test', 'L1', 'WAITER', 'demo-bistro', 'Demo Bistro'],
      ]);
      expect(bcrypt.getRounds(users[0].passwordHash)).toBe(4);
      // The demo manager and waiter have a POS PIN (bcrypt) and a badge (keyed hash), never in clear.
      const profiles = await prisma.employeeProfile.findMany({ include: { user: true } });
      expect(profiles).toHaveLength(2);
      for (const staff of Object.values(DEMO_POS_STAFF)) {
        const profile = profiles.find((p) => p.user.email === staff.email);
        expect(profile).toMatchObject({ employeeCode: staff.employeeCode, orgId: profile?.user.orgId });
        await expect(bcrypt.compare(staff.pin, profile?.pinHash ?? '')).resolves.toBe(true);
        expect(profile?.badgeHash).toBe(hashBadge('development-key-for-test', staff.badge));
        expect(JSON.stringify(profile)).not.toContain(staff.badge.split(':')[1]);
      }
      await expect(bcrypt.compare(DEMO_PASSWORD, users[0].passwordHash)).resolves.toBe(true);
      // Only when the database has no users: a second run changes nothing.
      await expect(seedDemoData(prisma, { bcryptCost: 4, nodeEnv: 'development' })).resolves.toMatchObject({
        seeded: false,
      });
      expect(await prisma.user.count()).toBe(4);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('never seeds when NODE_ENV=production', async () => {
    const db = await fresh();
    const prisma = createPrismaClient({ url: db.url });
    try {
      await expect(seedDemoData(prisma, { nodeEnv: 'production' })).resolves.toMatchObject({
        seeded: false,
        reason: expect.stringMatching(/production/),
      });
      expect(await prisma.user.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
    const refused = await runPrisma(['db', 'seed'], db.url, { NODE_ENV: 'production' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(/refusing: NODE_ENV=production/);
  });

  it('npm run db:seed (prisma db seed) seeds DATABASE_URL, then skips', async () => {
    const db = await fresh();
    const first = await runPrisma(['db', 'seed'], db.url, { BCRYPT_COST: '4', NODE_ENV: 'development' });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/demo data created: owner@demo-bistro.test/);
    const second = await npmRun(['db:seed'], { DATABASE_URL: db.url, BCRYPT_COST: '4', NODE_ENV: 'development' });
    expect(second.out).toMatch(/skipped: the database already has 4 user/);
    expect(second.code).toBe(0);
  });

  it('npm run db:seed says in one line that DATABASE_URL is unset', async () => {
    const { code, out } = await npmRun(['db:seed'], { DATABASE_URL: '' });
    expect(out.trim()).toBe('[seed] DATABASE_URL is not set (the database to seed)');
    expect(code).toBe(2);
  });
});
