import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listShippedMigrations } from '../migrations/shipped-migrations';
import { runPrisma, type PrismaRunResult } from '../migrations/run-prisma';
import { MIGRATIONS_DIR } from '../paths';

/**
 * A copy of the shipped migrations that stops before `migration` (exclusive): the history an
 * outdated production database has. Returns the directory (for CHEFCLOUD_MIGRATIONS_DIR).
 */
export function migrationsBefore(migration: string): string {
  const shipped = listShippedMigrations();
  const index = shipped.indexOf(migration);
  if (index < 0) throw new Error(`no shipped migration named ${migration}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-migrations-'));
  fs.copyFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
  for (const name of shipped.slice(0, index))
    fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
  return dir;
}

/** The real `prisma migrate deploy`, applying only the migrations before `migration`. */
export async function migrateDeployBefore(databaseUrl: string, migration: string): Promise<PrismaRunResult> {
  const dir = migrationsBefore(migration);
  try {
    const result = await runPrisma(['migrate', 'deploy'], databaseUrl, { CHEFCLOUD_MIGRATIONS_DIR: dir });
    if (result.code !== 0)
      throw new Error(
        `partial prisma migrate deploy failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
      );
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
