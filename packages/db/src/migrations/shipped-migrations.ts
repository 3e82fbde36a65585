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
