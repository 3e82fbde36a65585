import crypto from 'node:crypto';
import { databaseUrl, quoteIdent, withAdmin } from './test-database-server';

/** Environment variables through which the Jest global setup hands the server to test files. */
export const TEST_ADMIN_URL_ENV = 'CHEFCLOUD_TEST_ADMIN_URL';
export const TEST_TEMPLATE_ENV = 'CHEFCLOUD_TEST_TEMPLATE_DB';

export interface TestDatabase {
  name: string;
  url: string;
  adminUrl: string;
  drop(): Promise<void>;
}

function serverFromEnv(): { adminUrl: string; template: string } {
  const adminUrl = process.env[TEST_ADMIN_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!adminUrl || !template) {
    throw new Error(
      `${TEST_ADMIN_URL_ENV}/${TEST_TEMPLATE_ENV} are not set: run integration tests through their Jest config (global setup starts the database).`,
    );
  }
  return { adminUrl, template };
}

/**
 * A database of its own for one test file: a clone of the migrated template (fast: a file
 * copy on the server), or, with `{ empty: true }`, an empty database to migrate by hand.
 */
export async function createTestDatabase(options: { empty?: boolean; prefix?: string } = {}): Promise<TestDatabase> {
  const { adminUrl, template } = serverFromEnv();
  const name = `${options.prefix ?? 'test'}_${crypto.randomBytes(5).toString('hex')}`;
  const source = options.empty ? 'template0' : template;
  // Cloning needs the template to have no other sessions; retry briefly if one lingers.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin(adminUrl, (client) =>
        client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(source)}`),
      );
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    name,
    url: databaseUrl(adminUrl, name),
    adminUrl,
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
