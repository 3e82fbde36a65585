import { Client } from 'pg';

export interface AppliedMigration {
  name: string;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  /** What Prisma recorded when the migration failed (the database error), else null. */
  logs?: string | null;
}

/**
 * Rows of Prisma's `_prisma_migrations` table; an empty list when the table does not exist
 * yet (a database that was never migrated).
 */
export async function readAppliedMigrations(url: string): Promise<AppliedMigration[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const exists = await client.query<{ present: boolean }>(
      "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
    );
    if (!exists.rows[0]?.present) return [];
    const result = await client.query<{
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
    }>('SELECT migration_name, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at');
    return result.rows.map((row) => ({
      name: row.migration_name,
      finishedAt: row.finished_at,
      rolledBackAt: row.rolled_back_at,
      logs: row.logs,
    }));
  } finally {
    await client.end();
  }
}
