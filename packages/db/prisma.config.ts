// Prisma CLI configuration (Prisma 7 reads connection URLs from here, not from schema.prisma).
//
// DATABASE_URL is only required by commands that talk to a database (migrate deploy/status/dev,
// db seed); `prisma generate` and `prisma validate` work without it, so a placeholder is used.
// SHADOW_DATABASE_URL is optional: without it, `migrate dev` and `migrate diff --from-migrations`
// create a temporary shadow database beside DATABASE_URL and drop it afterwards.
// CHEFCLOUD_PRISMA_SCHEMA / CHEFCLOUD_MIGRATIONS_DIR point the CLI at another copy of the schema
// and migrations (tests and rehearsals use them; deploys never do).
import path from 'node:path';
import { defineConfig } from 'prisma/config';

const PLACEHOLDER_URL = 'postgresql://unset:unset@127.0.0.1:1/unset';

export default defineConfig({
  schema: process.env.CHEFCLOUD_PRISMA_SCHEMA ?? path.join(__dirname, 'prisma', 'schema.prisma'),
  migrations: {
    path: process.env.CHEFCLOUD_MIGRATIONS_DIR ?? path.join(__dirname, 'prisma', 'migrations'),
    seed: 'node scripts/run-built.mjs seed/run-seed.js',
  },
  datasource: {
    url: process.env.DATABASE_URL ?? PLACEHOLDER_URL,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
