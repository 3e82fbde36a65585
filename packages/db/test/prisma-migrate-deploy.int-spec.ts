/**
 * The Prisma CLI through the offline schema engine, against real PostgreSQL: the commands the
 * deploy pipeline runs (`migrate deploy`, `migrate status`) and the wrapper's refusals. The
 * commands that use a shadow database (`diff`, `dev`) and `resolve` are in
 * prisma-migrate-dev.int-spec.ts (two files, so that Jest's two workers share the work).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runPrisma } from '../src/migrations/run-prisma';
import { listShippedMigrations } from '../src/migrations/shipped-migrations';
import { DB_PACKAGE_DIR } from '../src/paths';
import { prismaScratch, query } from './support/prisma-cli';

const shipped = listShippedMigrations();
const { emptyDatabase } = prismaScratch();

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
