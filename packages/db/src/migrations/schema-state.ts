import type { AppliedMigration } from './applied-migrations';

/** How a database's migration history compares with the migrations a build ships. */
export interface SchemaState {
  /** `current`: every shipped migration is applied; `behind`: some are pending (or failed). */
  state: 'current' | 'behind';
  /** Shipped migrations the database has applied successfully, in order. */
  applied: string[];
  /** Shipped migrations not applied yet, in apply order (failed ones included). */
  pending: string[];
  /** Migrations that started and did not finish (need `prisma migrate resolve`). */
  failed: string[];
  /** Applied migrations this build does not ship (the database is ahead, e.g. after a code rollback). */
  unknown: string[];
}

/** Compare `_prisma_migrations` rows with the shipped list. Rolled-back rows do not count. */
export function compareMigrations(shipped: string[], rows: AppliedMigration[]): SchemaState {
  const done = new Set(rows.filter((r) => r.finishedAt !== null && r.rolledBackAt === null).map((r) => r.name));
  const failed = [
    ...new Set(
      rows.filter((r) => r.finishedAt === null && r.rolledBackAt === null && !done.has(r.name)).map((r) => r.name),
    ),
  ];
  const shippedSet = new Set(shipped);
  const applied = shipped.filter((name) => done.has(name));
  const pending = shipped.filter((name) => !done.has(name));
  const unknown = [...done].filter((name) => !shippedSet.has(name)).sort();
  return { state: pending.length ? 'behind' : 'current', applied, pending, failed, unknown };
}
