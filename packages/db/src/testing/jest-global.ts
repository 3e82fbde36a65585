import { startTestDatabaseServer, type TestDatabaseServer } from './test-database-server';
import { TEST_ADMIN_URL_ENV, TEST_TEMPLATE_ENV } from './test-database';

const KEY = '__chefcloudTestDatabaseServer';
type GlobalWithServer = typeof globalThis & { [KEY]?: TestDatabaseServer };

/** Jest globalSetup: start the server, migrate the template, export both through the environment. */
export async function jestGlobalSetup(): Promise<void> {
  const server = await startTestDatabaseServer((line) => process.stdout.write(`\n${line}`));
  (globalThis as GlobalWithServer)[KEY] = server;
  process.env[TEST_ADMIN_URL_ENV] = server.adminUrl;
  process.env[TEST_TEMPLATE_ENV] = server.templateDatabase;
  process.env.CHEFCLOUD_TEST_PROVIDER = server.provider;
}

/** Jest globalTeardown: drop the template and stop the server. */
export async function jestGlobalTeardown(): Promise<void> {
  const server = (globalThis as GlobalWithServer)[KEY];
  if (server) await server.stop();
}
