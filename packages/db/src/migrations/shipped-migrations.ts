import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../paths';

/**
 * The migrations this build ships: the directories under prisma/migrations that hold a
 * migration.sql, in the order Prisma applies them (lexicographic). Read from disk, so the
 * list is always the build's own, never a hand-maintained constant.
 */
export function listShippedMigrations(dir: string = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
}

const creatorCache = new Map<string, string | null>();

/**
 * The shipped migration that creates `table` (`CREATE TABLE "table"`), so an error about a
 * missing table can name the migration to apply. Null when no shipped migration creates it.
 */
export function migrationCreatingTable(table: string, dir: string = MIGRATIONS_DIR): string | null {
  const cacheKey = `${dir}\0${table}`;
  const cached = creatorCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const pattern = new RegExp(
    `CREATE TABLE (IF NOT EXISTS )?("?public"?\\.)?"?${table.replace(/[^\w]/g, '')}"?\\s*\\(`,
    'i',
  );
  const found =
    listShippedMigrations(dir).find((name) =>
      pattern.test(fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')),
    ) ?? null;
  creatorCache.set(cacheKey, found);
  return found;
}
