import path from 'node:path';

/** Root of the @chefcloud/db package (this file lives in src/ or dist/, one level below). */
export const DB_PACKAGE_DIR = path.resolve(__dirname, '..');
export const PRISMA_SCHEMA_PATH = path.join(DB_PACKAGE_DIR, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = path.join(DB_PACKAGE_DIR, 'prisma', 'migrations');
export const PRISMA_SCRIPT = path.join(DB_PACKAGE_DIR, 'scripts', 'prisma.mjs');

/**
 * The migrations directory this deployment ships: CHEFCLOUD_MIGRATIONS_DIR when set (the same
 * override prisma.config.ts honours, so `db:deploy` and the API's readiness agree), else the
 * package's own prisma/migrations.
 */
export function shippedMigrationsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHEFCLOUD_MIGRATIONS_DIR ?? MIGRATIONS_DIR;
}
