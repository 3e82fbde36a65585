/**
 * Migration safety: `npm run db:lint` (squawk over every migration.sql) and `npm run db:check`
 * (the pre-deploy report for a DATABASE_URL), run as an operator or CI runs them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDeploy } from '../src/migrations/run-prisma';
import { listShippedMigrations } from '../src/migrations/shipped-migrations';
import { DB_PACKAGE_DIR, MIGRATIONS_DIR } from '../src/paths';
import { createTestDatabase, migrateDeployBefore, npmRun, type TestDatabase } from '../src/testing';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** The shipped migrations plus one new migration with `sql` (in a temp folder, removed afterwards). */
function withNewMigration(name: string, sql: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-lint-'));
  tempDirs.push(dir);
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  return dir;
}

const TIMEOUTS = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\n";

describe('npm run db:lint', () => {
  it('passes on the shipped migrations', async () => {
    const { code, out } = await npmRun(['db:lint']);
    expect(out).toMatch(/squawk: \d+ migration\(s\) checked, 2 baseline migration\(s\) excluded/);
    expect(code).toBe(0);
  });

  it.each([
    [
      'a NOT NULL column without a default',
      'ALTER TABLE "users" ADD COLUMN "pin" TEXT NOT NULL;',
      'adding-required-field',
    ],
    ['a dropped column', 'ALTER TABLE "users" DROP COLUMN "last_name";', 'ban-drop-column'],
    [
      'an index built without CONCURRENTLY on an existing table',
      'CREATE INDEX "users_first_name_idx" ON "users"("first_name");',
      'require-concurrent-index-creation',
    ],
    [
      'a migration without lock and statement timeouts',
      'ALTER TABLE "users" ADD COLUMN "nickname" TEXT;',
      'require-lock-timeout',
    ],
  ])('fails a new migration with %s', async (_name, sql, rule) => {
    const dir = withNewMigration('20990101000000_bad', `${rule === 'require-lock-timeout' ? '' : TIMEOUTS}${sql}\n`);
    const { code, out } = await npmRun(['db:lint'], { CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toContain(rule);
    // Lines count from 1, as in an editor: the statement is on line 3 after the two SET lines.
    expect(out).toContain(`20990101000000_bad/migration.sql:${rule === 'require-lock-timeout' ? 1 : 3}: ${rule}`);
    expect(code).toBe(1);
  });

  it('passes a safe new migration: nullable column with timeouts, and a lone CREATE INDEX CONCURRENTLY', async () => {
    const dir = withNewMigration('20990101000000_good', `${TIMEOUTS}ALTER TABLE "users" ADD COLUMN "nickname" TEXT;\n`);
    fs.mkdirSync(path.join(dir, '20990101000001_index'));
    // A lone statement runs outside a transaction block, so it cannot be preceded by SET: the
    // file says so to squawk (the pattern documented in the runbook).
    fs.writeFileSync(
      path.join(dir, '20990101000001_index', 'migration.sql'),
      '-- squawk-ignore-file require-lock-timeout, require-statement-timeout\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "users_nickname_idx" ON "users"("nickname");\n',
    );
    const { code, out } = await npmRun(['db:lint'], { CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toMatch(/0 violation\(s\)/);
    expect(code).toBe(0);
  });
});

describe('npm run db:lint: expand/contract', () => {
  const rename = `${TIMEOUTS}ALTER TABLE "users" RENAME COLUMN "first_name" TO "given_name";\n`;
  const release = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: DB_PACKAGE_DIR, encoding: 'utf8' });

  it('flags a destructive statement in an unmarked migration and points to the expand/contract rule', async () => {
    const dir = withNewMigration('20990101000000_rename', rename);
    const { code, out } = await npmRun(['db:lint'], { CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toMatch(/20990101000000_rename\/migration.sql:\d+: renaming-column/);
    expect(out).toContain('expand/contract (docs/runbooks/expand-contract.md)');
    expect(out).toContain('-- contract: release <git ref> stopped using <objects>');
    expect(code).toBe(1);
  });

  it('accepts it in a contract step naming a shipped release that stopped using the column', async () => {
    const marker = `-- contract: release ${release.stdout.trim()} stopped using "users"."first_name"\n`;
    const dir = withNewMigration('20990101000000_rename', `${marker}${rename}`);
    const { code, out } = await npmRun(['db:lint'], { CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toContain(
      `contract step (release ${release.stdout.trim()} stopped using "users"."first_name"): 1 destructive statement(s) accepted (renaming-column)`,
    );
    expect(out).toMatch(/1 contract step\(s\), 0 violation\(s\)/);
    expect(code).toBe(0);
  });

  it('refuses a contract step naming a release this repository never shipped', async () => {
    const dir = withNewMigration(
      '20990101000000_rename',
      `-- contract: release 0000000deadbeef stopped using "users"."first_name"\n${rename}`,
    );
    const { code, out } = await npmRun(['db:lint'], { CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toContain(
      'contract-release: contract step: release 0000000deadbeef is not a commit of this repository',
    );
    expect(out).toContain('renaming-column');
    expect(code).toBe(1);
  });
});

describe('npm run db:check', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });
  const emptyDb = async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'check' });
    databases.push(db);
    return db;
  };
  const shipped = listShippedMigrations();
  const last = shipped[shipped.length - 1];

  it('reports applied and pending migrations with the lint verdict of each pending one', async () => {
    const db = await emptyDb();
    await migrateDeployBefore(db.url, last);
    const { code, out } = await npmRun(['db:check'], { DATABASE_URL: db.url });
    expect(out).toContain('schema behind');
    expect(out).toMatch(new RegExp(`✓ ${shipped[0]}`));
    expect(out).toMatch(new RegExp(`• ${last}\\s+lint: ok`));
    expect(out).toMatch(/verdict: READY: 1 migration\(s\) will be applied/);
    expect(out).not.toContain(`:${new URL(db.url).password}@`);
    expect(out).toContain(':***@');
    expect(code).toBe(0);
  });

  it('on an empty database (the baseline pending, excluded from the lint) says READY, never "cannot be reached"', async () => {
    const db = await emptyDb();
    const { code, out } = await npmRun(['db:check'], { DATABASE_URL: db.url });
    expect(out).toMatch(new RegExp(`• ${shipped[0]}\\s+lint: baseline \\(excluded in .squawk.toml\\)`));
    expect(out).toMatch(new RegExp(`• ${last}\\s+lint: ok`));
    expect(out).toContain(`verdict: READY: ${shipped.length} migration(s) will be applied`);
    expect(code).toBe(0);
  });

  it('says in one line that DATABASE_URL is unset (exit 2)', async () => {
    const { code, out } = await npmRun(['db:check'], { DATABASE_URL: '' });
    expect(out.trim()).toBe('[db:check] DATABASE_URL is not set (the database to check)');
    expect(code).toBe(2);
  });

  it('says NOT READY when a pending migration fails the lint', async () => {
    const db = await emptyDb();
    await migrateDeploy(db.url);
    const dir = withNewMigration('20990101000000_drop', `${TIMEOUTS}ALTER TABLE "users" DROP COLUMN "last_name";\n`);
    const { code, out } = await npmRun(['db:check'], { DATABASE_URL: db.url, CHEFCLOUD_MIGRATIONS_DIR: dir });
    expect(out).toMatch(/20990101000000_drop\s+lint: FAIL \(1\)/);
    expect(out).toContain('ban-drop-column');
    expect(out).toContain('verdict: NOT READY');
    expect(code).toBe(1);
  });

  it('says UP TO DATE after migrate deploy, and exit 2 when the database is unreachable', async () => {
    const db = await emptyDb();
    await migrateDeploy(db.url);
    const current = await npmRun(['db:check'], { DATABASE_URL: db.url });
    expect(current.out).toContain('verdict: UP TO DATE');
    expect(current.code).toBe(0);
    const down = await npmRun(['db:check'], { DATABASE_URL: 'postgresql://nobody:secret@127.0.0.1:1/none' });
    expect(down.code).toBe(2);
    expect(down.out).toContain('cannot read postgresql://nobody:***@127.0.0.1:1/none');
  });
});
