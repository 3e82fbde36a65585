/**
 * `npm run db:seed` (also what `prisma db seed` runs), from the compiled code: the demo seed against DATABASE_URL.
 * Never in production; a no-op when the database already has users.
 */
import { createPrismaClient } from '../client';
import { DEMO_PASSWORD, seedDemoData } from './demo-seed';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('[seed] DATABASE_URL is not set (the database to seed)');
    process.exitCode = 2;
    return;
  }
  if (process.env.NODE_ENV === 'production') {
    console.error('[seed] refusing: NODE_ENV=production (demo data is never seeded in production)');
    process.exitCode = 1;
    return;
  }
  const prisma = createPrismaClient({ url });
  try {
    const result = await seedDemoData(prisma, { bcryptCost: Number(process.env.BCRYPT_COST ?? 12) });
    if (result.seeded) console.log(`[seed] demo data created: ${result.users.join(', ')} (password ${DEMO_PASSWORD})`);
    else console.log(`[seed] skipped: ${result.reason}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error('[seed] failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
