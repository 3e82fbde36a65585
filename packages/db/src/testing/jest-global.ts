import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDatabaseServer, type TestDatabaseServer } from './test-database-server';
import { TEST_ADMIN_URL_ENV, TEST_TEMPLATE_ENV } from './test-database';

const KEY = '__chefcloudTestDatabaseServer';
/**
 * Tools' caches would land in the run's temp folder too, not things a test made, and are cheap
 * to do without in a test run: jiti's (it loads prisma.config.ts) and Node 22's compile cache
 * (npm 10.9 enables it in the rehearsals' builds with Render's Node). Set for the tools, never
 * read by the harness.
 */
const TOOL_CACHES_OFF = { JITI_FS_CACHE: 'false', NODE_DISABLE_COMPILE_CACHE: '1' };
const TEMP = '__chefcloudTestRunTemp';
type GlobalWithServer = typeof globalThis & {
  [KEY]?: TestDatabaseServer;
  [TEMP]?: { dir: string; previous: string | undefined };
};

/**
 * Jest globalSetup: a temp folder of the run's own (TMPDIR, which os.tmpdir() of the workers and
 * of every process they start reads), then start the server, migrate the template, export both
 * through the environment.
 */
export async function jestGlobalSetup(): Promise<void> {
  jestTempSetup();
  const server = await startTestDatabaseServer((line) => process.stdout.write(`\n${line}`));
  (globalThis as GlobalWithServer)[KEY] = server;
  process.env[TEST_ADMIN_URL_ENV] = server.adminUrl;
  process.env[TEST_TEMPLATE_ENV] = server.templateDatabase;
  process.env.CHEFCLOUD_TEST_PROVIDER = server.provider;
}

/**
 * Jest globalTeardown: drop the template and stop the server; then the run's temp folder must be
 * empty — tests leave nothing behind (a leftover fails the run, naming it) — and is removed.
 */
export async function jestGlobalTeardown(): Promise<void> {
  const server = (globalThis as GlobalWithServer)[KEY];
  if (server) await server.stop();
  jestTempTeardown();
}

/**
 * The temp-folder half of jestGlobalSetup, for suites without a test database (the deploy
 * package's): a temp folder of the run's own, in TMPDIR.
 */
export function jestTempSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-test-run-'));
  // As /tmp is: embedded PostgreSQL's initdb runs as another user (as root, `postgres`) and reads
  // a password file written here.
  fs.chmodSync(dir, 0o1777);
  (globalThis as GlobalWithServer)[TEMP] = { dir, previous: process.env.TMPDIR };
  process.env.TMPDIR = dir;
  Object.assign(process.env, TOOL_CACHES_OFF);
}

/** The temp-folder half of jestGlobalTeardown: it must be empty; it is removed. */
export function jestTempTeardown(): void {
  const global = globalThis as GlobalWithServer;
  const temp = global[TEMP];
  if (!temp) return;
  if (temp.previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = temp.previous;
  const left = leftovers(temp.dir);
  fs.rmSync(temp.dir, { recursive: true, force: true });
  if (left.length)
    throw new Error(
      `the tests left ${left.length} item(s) in their temp folder (each test removes what it makes): ${left.join(', ')}`,
    );
}

/**
 * Files tools keep in the temp folder for themselves, not things a test made: jiti's and Node
 * 22's caches (turned off above, where the tool reads the environment) and testcontainers' lock
 * files (testcontainers-node-0.lock).
 */
const TOOLS_OWN = [/^jiti$/, /^node-compile-cache$/, /^testcontainers-/];

/** What is in `dir` but the tools' own files (its entries, one level below each folder too). */
export function leftovers(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !TOOLS_OWN.some((own) => own.test(entry.name)))
    .map((entry) =>
      entry.isDirectory()
        ? `${entry.name}/ (${fs.readdirSync(path.join(dir, entry.name)).slice(0, 5).join(', ') || 'empty'})`
        : entry.name,
    );
}
