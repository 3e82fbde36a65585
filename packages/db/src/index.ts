/**
 * @chefcloud/db: the Prisma client, its factory, and helpers for database errors and migrations.
 */
export { PrismaClient, Prisma } from './generated/prisma/client';
export type {
  Org,
  Branch,
  User,
  Session,
  MaintenanceWindow,
  FeatureFlag,
  FlagAudit,
  EmployeeProfile,
} from './generated/prisma/client';
export { RoleLevel, FlagAction, JobRole } from './generated/prisma/enums';
export { createPrismaClient, databasePoolStats, type PrismaClientOptions, type PoolStats } from './client';
export { mappedTables, type MappedTable } from './schema/mapped-columns';
export {
  isMissingTableError,
  isMissingColumnError,
  missingTableName,
  isDatabaseUnavailableError,
  isDatabaseTimeoutError,
  isTransientConflictError,
  missingColumnName,
  isPermissionDeniedError,
  isCheckViolationError,
  prismaErrorCode,
} from './errors/database-errors';
export { listShippedMigrations, migrationCreatingTable } from './migrations/shipped-migrations';
export { readAppliedMigrations, type AppliedMigration } from './migrations/applied-migrations';
export { compareMigrations, type SchemaState } from './migrations/schema-state';
export { lintMigrationFiles, SQUAWK_CONFIG, type LintResult, type LintViolation } from './migrations/migration-lint';
export { contractMarker, DESTRUCTIVE_RULES, EXPAND_CONTRACT_DOC } from './migrations/contract-step';
export { runPrisma, migrateDeploy, type PrismaRunResult } from './migrations/run-prisma';
export { DB_PACKAGE_DIR, MIGRATIONS_DIR, PRISMA_SCHEMA_PATH, shippedMigrationsDir } from './paths';
export { seedDemoData, DEMO_PASSWORD, DEMO_POS_STAFF, type SeedResult } from './seed/demo-seed';
export { badgeCode, hashBadge, DEVELOPMENT_BADGE_HASH_KEY } from './credentials/badge-hash';
export {
  startEmbeddedDatabase,
  freePort,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './embedded/embedded-database';
export {
  seedScaleData,
  seedTenantHistory,
  scaleSizes,
  PRODUCTION_SIZES,
  SCALE_ID_PREFIX,
  type ScaleSizes,
  type SqlRunner,
} from './seed/scale-seed';
