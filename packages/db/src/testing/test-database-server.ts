import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Client } from 'pg';
import { chooseProvider, type ProviderName } from './provider-choice';
import { isDockerAvailable } from './docker-probe';
import { startEmbeddedDatabase } from '../embedded/embedded-database';
import { migrateDeploy } from '../migrations/run-prisma';

/** A PostgreSQL server for a test run, with a migrated template database to clone from. */
export interface TestDatabaseServer {
  provider: ProviderName;
  reason: string;
  /** URL of a maintenance database on the server (used to create and drop databases). */
  adminUrl: string;
  /** Name of the template database migrated with `prisma migrate deploy`. */
  templateDatabase: string;
  stop(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function startServer(provider: ProviderName): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (provider === 'url') {
    return { adminUrl: process.env.TEST_DATABASE_URL as string, stop: async () => {} };
  }
  if (provider === 'testcontainers') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(process.env.TEST_POSTGRES_IMAGE ?? 'postgres:17-alpine').start();
    return {
      adminUrl: databaseUrl(container.getConnectionUri(), 'postgres'),
      stop: async () => void (await container.stop()),
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-test-pg-'));
  // As root, PostgreSQL runs as an unprivileged user that must be able to reach its data directory.
  fs.chmodSync(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'data'), persistent: false, fast: true });
  return {
    adminUrl: db.adminUrl,
    stop: async () => {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Start (or connect to) the test PostgreSQL and build the template database with the real
 * `prisma migrate deploy`. Every test file then clones the template (createTestDatabase).
 */
export async function startTestDatabaseServer(
  log: (line: string) => void = (line) => console.log(line),
): Promise<TestDatabaseServer> {
  const choice = chooseProvider(process.env, process.env.TEST_DATABASE_URL ? false : await isDockerAvailable());
  log(`[test-db] provider: ${choice.provider} (${choice.reason})`);
  const started = Date.now();
  const server = await startServer(choice.provider);
  const templateDatabase = `chefcloud_template_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin(server.adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(templateDatabase)}`));
  await migrateDeploy(databaseUrl(server.adminUrl, templateDatabase));
  log(`[test-db] template ${templateDatabase} migrated with prisma migrate deploy in ${Date.now() - started} ms`);
  return {
    provider: choice.provider,
    reason: choice.reason,
    adminUrl: server.adminUrl,
    templateDatabase,
    stop: async () => {
      await withAdmin(server.adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${quoteIdent(templateDatabase)} WITH (FORCE)`),
      ).catch(() => {});
      await server.stop();
    },
  };
}
