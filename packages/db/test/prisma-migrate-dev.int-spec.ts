/**
 * The Prisma CLI through the offline schema engine, against real PostgreSQL: the developer's
 * commands (`migrate diff`, `migrate dev`) and the recovery from a failed migration
 * (`migrate resolve`). Every test that uses a shadow database is in this file: they assert that
 * none is left on the cluster, so they never run beside each other (Jest runs one file's tests
 * in order, and no other file makes shadow databases).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runPrisma } from '../src/migrations/run-prisma';
import { DB_PACKAGE_DIR, MIGRATIONS_DIR, PRISMA_SCHEMA_PATH } from '../src/paths';
import { prismaScratch, query, shadowDatabases, withoutMigrationsDir } from './support/prisma-cli';

const { emptyDatabase, copyPrismaDir } = prismaScratch();

describe('prisma migrate diff (offline engine)', () => {
  it('the migration history produces exactly schema.prisma (no drift), on a temporary shadow database it drops', async () => {
    const db = await emptyDatabase();
    const before = await shadowDatabases(db.adminUrl);
    const result = await runPrisma(
      ['migrate', 'diff', '--from-migrations', MIGRATIONS_DIR, '--to-schema', PRISMA_SCHEMA_PATH, '--exit-code'],
      db.url,
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(await shadowDatabases(db.adminUrl)).toEqual(before);
  });

  it('exits 2 and prints the SQL when the schema has changes no migration carries', async () => {
    const db = await emptyDatabase();
    const copy = copyPrismaDir();
    fs.appendFileSync(
      copy.env.CHEFCLOUD_PRISMA_SCHEMA as string,
      '\nmodel Drift {\n  id Int @id\n  @@map("drift")\n}\n',
    );
    const result = await runPrisma(
      [
        'migrate',
        'diff',
        '--from-migrations',
        copy.env.CHEFCLOUD_MIGRATIONS_DIR as string,
        '--to-schema',
        copy.env.CHEFCLOUD_PRISMA_SCHEMA as string,
        '--script',
        '--exit-code',
      ],
      db.url,
      copy.env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('CREATE TABLE "drift"');
  });
});

describe('prisma migrate dev (offline engine)', () => {
  it('creates and applies a migration for a schema change, using and dropping its own shadow database', async () => {
    const db = await emptyDatabase();
    expect((await runPrisma(['migrate', 'deploy'], db.url)).code).toBe(0);
    const copy = copyPrismaDir();
    const schemaFile = copy.env.CHEFCLOUD_PRISMA_SCHEMA as string;
    fs.writeFileSync(
      schemaFile,
      fs
        .readFileSync(schemaFile, 'utf8')
        .replace('  timezone  String   @default("UTC")', '  timezone  String   @default("UTC")\n  phone     String?'),
    );

    const result = await runPrisma(['migrate', 'dev', '--name', 'branch_phone'], db.url, copy.env);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const created = fs
      .readdirSync(copy.env.CHEFCLOUD_MIGRATIONS_DIR as string)
      .filter((d) => d.endsWith('_branch_phone'));
    expect(created).toHaveLength(1);
    const sql = fs.readFileSync(
      path.join(copy.env.CHEFCLOUD_MIGRATIONS_DIR as string, created[0] as string, 'migration.sql'),
      'utf8',
    );
    expect(sql).toMatch(/ALTER TABLE "branches" ADD COLUMN\s+"phone" TEXT/);
    const columns = await query<{ column_name: string }>(
      db.url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'branches'",
    );
    expect(columns.map((c) => c.column_name)).toContain('phone');
    expect(await shadowDatabases(db.adminUrl)).toEqual([]);
  });
});

describe('prisma migrate resolve (offline engine)', () => {
  it('recovers from a migration that fails halfway: rolled-back, fixed, redeployed', async () => {
    const db = await emptyDatabase();
    const copy = copyPrismaDir();
    const migrations = copy.env.CHEFCLOUD_MIGRATIONS_DIR as string;
    const broken = '20991231000000_broken';
    fs.mkdirSync(path.join(migrations, broken));
    fs.writeFileSync(
      path.join(migrations, broken, 'migration.sql'),
      'CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n',
    );

    const failed = await runPrisma(['migrate', 'deploy'], db.url, copy.env);
    expect(failed.code).not.toBe(0);
    // What the native engine reports (P3018 with the PostgreSQL error), plus the failed statement.
    const failure = failed.stdout + failed.stderr;
    expect(failure).toContain('Error: P3018');
    expect(failure).toContain(`Migration name: ${broken}`);
    expect(failure).toContain('Database error code: 42P01');
    expect(failure).toContain('ERROR: relation "no_such_table" does not exist');
    expect(failure).toContain('Failed statement (migration.sql line 2):\nSELECT * FROM "no_such_table";');
    expect(failure).not.toContain('external connector error');
    expect(failure).toContain('[chefcloud-db] migrate deploy failed. `npm run db:check` shows each failed migration');
    // The script runs as one implicit transaction: nothing of it is left behind.
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);
    const blocked = await runPrisma(['migrate', 'deploy'], db.url, copy.env);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('Error: P3009');
    expect(blocked.stdout + blocked.stderr).toContain(`The \`${broken}\` migration started at`);

    // db:check names the failed migration with the PostgreSQL error Prisma recorded, and the
    // command to resolve it; also from a checkout that does not ship it (an older build's shell).
    for (const env of [copy.env, {}]) {
      const check = spawnSync('npm', ['run', '--silent', 'db:check'], {
        cwd: path.resolve(DB_PACKAGE_DIR, '../..'),
        env: { ...withoutMigrationsDir(process.env), ...env, DATABASE_URL: db.url },
        encoding: 'utf8',
      });
      expect(check.stdout).toContain(`✗ ${broken}`);
      expect(check.stdout).toContain('| ERROR: relation "no_such_table" does not exist');
      expect(check.stdout).toContain(`npm run db:resolve -- --rolled-back ${broken}`);
      expect(check.stdout).toContain('verdict: NOT READY: 1 migration(s) failed earlier');
      expect(check.status).toBe(1);
      if (!env.CHEFCLOUD_MIGRATIONS_DIR) expect(check.stdout).toContain('(not in this checkout');
    }

    // The runbook's command (docs/runbooks/deploy.md, "A failed pre-deploy"), from the repository root.
    const resolved = spawnSync('npm', ['run', 'db:resolve', '--', '--rolled-back', broken], {
      cwd: path.resolve(DB_PACKAGE_DIR, '../..'),
      env: { ...process.env, ...copy.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(resolved.stdout + resolved.stderr).toMatch(new RegExp(`Migration ${broken} marked as rolled back`));
    expect(resolved.status).toBe(0);
    fs.writeFileSync(path.join(migrations, broken, 'migration.sql'), 'CREATE TABLE "half_done" (id int);\n');
    const fixed = await runPrisma(['migrate', 'deploy'], db.url, copy.env);
    expect(fixed.code).toBe(0);
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(1);
  });
});
