/**
 * What the Prisma CLI tests share (prisma-migrate-*.int-spec.ts): throwaway empty databases and
 * writable copies of the schema and migrations, each removed after the file that made them
 * (tests leave nothing behind).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, withAdmin, type TestDatabase } from '../../src/testing';
import { DB_PACKAGE_DIR } from '../../src/paths';

export async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The cluster's Prisma shadow databases (prisma_shadow_*), by name. */
export async function shadowDatabases(adminUrl: string): Promise<string[]> {
  return withAdmin(adminUrl, async (c) =>
    (
      await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'")
    ).rows.map((r) => r.datname),
  );
}

/** The environment without CHEFCLOUD_MIGRATIONS_DIR: a checkout's own migrations. */
export function withoutMigrationsDir(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.CHEFCLOUD_MIGRATIONS_DIR;
  return rest;
}

/**
 * Scratch resources for one spec file: call it at the file's top level; what it makes is removed
 * in the file's afterAll.
 */
export function prismaScratch(): {
  emptyDatabase(): Promise<TestDatabase>;
  copyPrismaDir(): { dir: string; env: NodeJS.ProcessEnv };
} {
  const tempDirs: string[] = [];
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    for (const db of databases.splice(0)) await db.drop();
  });
  return {
    async emptyDatabase() {
      const db = await createTestDatabase({ empty: true, prefix: 'migrate' });
      databases.push(db);
      return db;
    },
    /** A writable copy of the schema and migrations, for commands that write migrations. */
    copyPrismaDir() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-prisma-'));
      tempDirs.push(dir);
      fs.cpSync(path.join(DB_PACKAGE_DIR, 'prisma'), dir, { recursive: true });
      return {
        dir,
        env: {
          CHEFCLOUD_PRISMA_SCHEMA: path.join(dir, 'schema.prisma'),
          CHEFCLOUD_MIGRATIONS_DIR: path.join(dir, 'migrations'),
        },
      };
    },
  };
}
