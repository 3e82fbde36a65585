/**
 * `npm run db:check`: what an operator reads before deploying. For DATABASE_URL it prints the
 * applied and pending migrations of this build and squawk's verdict on each pending one.
 * Exit 0: nothing pending, or every pending migration passes the lint.
 * Exit 1: a pending migration fails the lint, or a migration failed earlier (resolve it first).
 * Exit 2: the database cannot be reached.
 */
import path from 'node:path';
import { readAppliedMigrations } from '../migrations/applied-migrations';
import { lintMigrationFiles } from '../migrations/migration-lint';
import { compareMigrations } from '../migrations/schema-state';
import { listShippedMigrations } from '../migrations/shipped-migrations';
import { shippedMigrationsDir } from '../paths';

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('[db:check] DATABASE_URL is not set\n');
    return 2;
  }
  const dir = shippedMigrationsDir();
  const shipped = listShippedMigrations(dir);
  let rows;
  try {
    rows = await readAppliedMigrations(url);
  } catch (error) {
    process.stderr.write(
      `[db:check] cannot read ${redact(url)}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  const state = compareMigrations(shipped, rows);
  const out: string[] = [
    `database: ${redact(url)}`,
    `this build ships ${shipped.length} migration(s); schema ${state.state}`,
    '',
    'applied:',
  ];
  out.push(...(state.applied.length ? state.applied.map((n) => `  ✓ ${n}`) : ['  (none)']));
  if (state.unknown.length)
    out.push(
      '',
      'applied but not in this build (database ahead of the code):',
      ...state.unknown.map((n) => `  ? ${n}`),
    );
  out.push('', 'pending:');
  let lintFailed = false;
  if (!state.pending.length) out.push('  (none) — `npm run db:deploy` has nothing to do');
  for (const name of state.pending) {
    const file = path.join(dir, name, 'migration.sql');
    const lint = lintMigrationFiles([file]);
    const verdict = lint.excluded.length
      ? 'lint: baseline (excluded in .squawk.toml)'
      : lint.ok
        ? 'lint: ok'
        : `lint: FAIL (${lint.violations.length})`;
    out.push(
      `  • ${name}${state.failed.includes(name) ? '  [FAILED earlier: run `prisma migrate resolve` first]' : ''}  ${verdict}`,
    );
    for (const v of lint.violations) out.push(`      line ${v.line}: ${v.rule}: ${v.message}`);
    if (!lint.ok) lintFailed = true;
  }
  const verdict = state.failed.length
    ? 'NOT READY: a migration failed earlier; see docs/runbooks/deploy.md ("A failed pre-deploy")'
    : lintFailed
      ? 'NOT READY: a pending migration fails the migration lint'
      : state.pending.length
        ? `READY: ${state.pending.length} migration(s) will be applied by the pre-deploy step (npm run db:deploy)`
        : 'UP TO DATE';
  out.push('', `verdict: ${verdict}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return state.failed.length || lintFailed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[db:check] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
