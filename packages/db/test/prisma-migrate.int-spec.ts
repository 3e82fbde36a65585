/**
 * The Prisma CLI through the offline schema engine, against real PostgreSQL: the commands the
 * deploy pipeline and developers run (`migrate deploy`, `status`, `diff`, `dev`, `resolve`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, withAdmin, type TestDatabase } from '../src/testing';
import { runPrisma } from '../src/migrations/run-prisma';
import { listShippedMigrations } from '../src/migrations/shipped-migrations';
import { DB_PACKAGE_DIR, MIGRATIONS_DIR, PRISMA_SCHEMA_PATH } from '../src/paths';

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function shadowDatabases(adminUrl: string): Promise<string[]> {
  return withAdmin(adminUrl, async (c) =>
    (
      await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'")
    ).rows.map((r) => r.datname),
  );
}

/** Writable copies made by this file, removed after it (tests leave nothing behind). */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A writable copy of the schema and migrations, for commands that write migrations. */
function copyPrismaDir(): { dir: string; env: NodeJS.ProcessEnv } {
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
}

/** The environment without CHEFCLOUD_MIGRATIONS_DIR: a checkout's own migrations. */
function withoutMigrationsDir(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.CHEFCLOUD_MIGRATIONS_DIR;
  return rest;
}

const shipped = listShippedMigrations();
const databases: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true, prefix: 'migrate' });
  databases.push(db);
  return db;
}

afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('prisma migrate deploy (offline engine)', () => {
  it('applies the whole history to an empty database and says which engine it used', async () => {
    const db = await emptyDatabase();
    const result = await runPrisma(['migrate', 'deploy'], db.url);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('using the offline schema engine');
    expect(result.stdout).toContain('All migrations have been successfully applied');

    const applied = await query<{ migration_name: string; finished_at: Date | null }>(
      db.url,
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(applied.map((r) => r.migration_name)).toEqual(shipped);
    expect(applied.every((r) => r.finished_at !== null)).toBe(true);
    const tables = await query<{ tablename: string }>(
      db.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        'orgs',
        'branches',
        'users',
        'sessions',
        'maintenance_windows',
        'feature_flags',
        'flag_audits',
      ]),
    );

    const again = await runPrisma(['migrate', 'deploy'], db.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No pending migrations to apply');
  });

  it('`npm run db:deploy` at the repository root is prisma migrate deploy for @chefcloud/db (Render pre-deploy)', async () => {
    const db = await emptyDatabase();
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('npm', ['run', 'db:deploy'], {
      cwd: path.resolve(DB_PACKAGE_DIR, '../..'),
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('prisma migrate deploy: using the offline schema engine');
    expect(result.stdout).toContain('All migrations have been successfully applied');
    const applied = await query<{ migration_name: string }>(
      db.url,
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(applied.map((r) => r.migration_name)).toEqual(shipped);
  });

  it('keeps the CHECK and NULLS NOT DISTINCT rules of change_control', async () => {
    const db = await emptyDatabase();
    expect((await runPrisma(['migrate', 'deploy'], db.url)).code).toBe(0);
    await expect(
      query(db.url, "INSERT INTO feature_flags (id, key, rollout_pct, updated_at) VALUES ('f1', 'k', 101, now())"),
    ).rejects.toThrow(/rollout_pct_check/);
    await query(db.url, "INSERT INTO feature_flags (id, key, updated_at) VALUES ('f1', 'global-key', now())");
    await expect(
      query(db.url, "INSERT INTO feature_flags (id, key, updated_at) VALUES ('f2', 'global-key', now())"),
    ).rejects.toThrow(/feature_flags_org_id_key_key/);
  });

  it('two concurrent deploys both succeed and apply each migration once (advisory lock)', async () => {
    const db = await emptyDatabase();
    const [a, b] = await Promise.all([
      runPrisma(['migrate', 'deploy'], db.url),
      runPrisma(['migrate', 'deploy'], db.url),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const rows = await query<{ migration_name: string; n: string; steps: string }>(
      db.url,
      'SELECT migration_name, count(*) AS n, sum(applied_steps_count) AS steps FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, Number(r.n), Number(r.steps)])).toEqual(
      shipped.map((name) => [name, 1, 1]),
    );
  });

  it('fails with P1001 and a non-zero exit when the database cannot be reached', async () => {
    const result = await runPrisma(['migrate', 'deploy'], 'postgresql://postgres:postgres@127.0.0.1:1/nowhere');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/P1001|Can't reach database server/);
  });
});

describe('prisma migrate status (offline engine)', () => {
  it('reports pending migrations with exit 1, and up to date with exit 0', async () => {
    const db = await emptyDatabase();
    const behind = await runPrisma(['migrate', 'status'], db.url);
    expect(behind.code).toBe(1);
    for (const name of shipped) expect(behind.stdout).toContain(name);

    expect((await runPrisma(['migrate', 'deploy'], db.url)).code).toBe(0);
    const current = await runPrisma(['migrate', 'status'], db.url);
    expect(current.code).toBe(0);
    expect(current.stdout).toContain('Database schema is up to date');
  });
});

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

describe('the prisma wrapper (scripts/prisma.mjs) refuses in one line what would fail obscurely', () => {
  const npm = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync('npm', ['run', '--silent', ...args], {
      cwd: path.resolve(DB_PACKAGE_DIR, '../..'),
      env: { ...process.env, ...env },
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
    });

  it.each([['db:deploy'], ['db:status']])('npm run %s without DATABASE_URL: one clear line, exit 2', (script) => {
    const result = npm([script], { DATABASE_URL: '' });
    expect(result.stderr.trim()).toMatch(
      /^\[chefcloud-db\] DATABASE_URL is not set: `prisma migrate (deploy|status)` needs the database/,
    );
    expect(result.stderr + result.stdout).not.toMatch(/P1001|127\.0\.0\.1:1/);
    expect(result.status).toBe(2);
  });

  it('npm run db:status (not --silent): Prisma’s own lines come last, not buried under npm lifecycle errors', () => {
    const result = spawnSync('npm', ['run', 'db:status'], {
      cwd: path.resolve(DB_PACKAGE_DIR, '../..'),
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
      input: '',
    });
    expect(result.stdout + result.stderr).not.toMatch(/npm error|Lifecycle script/);
    expect(result.stderr.trim().split('\n').pop()).toMatch(/^\[chefcloud-db\] DATABASE_URL is not set/);
    expect(result.status).toBe(2);
  });

  it('npm run db:dev without a terminal: fails fast without --name, and passes --name through to Prisma', () => {
    const started = Date.now();
    const noName = npm(['db:dev'], { DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:1/nowhere' });
    expect(noName.stderr).toContain('`prisma migrate dev` without --name asks for the migration name');
    expect(noName.status).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
    const named = npm(['db:dev', '--', '--name', 'probe'], {
      DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:1/nowhere',
    });
    expect(named.stderr).toContain('[chefcloud-db] prisma migrate dev --name probe: using the offline schema engine');
    expect(named.status).not.toBe(0);
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
