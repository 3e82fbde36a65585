/**
 * `npm run db:check`: what an operator reads before deploying, and after a failed pre-deploy.
 * For DATABASE_URL it prints the applied and pending migrations of this build, squawk's verdict
 * on each pending one, and every failed migration recorded in the database — with the error
 * PostgreSQL gave — even when this checkout does not ship it (an older build's shell).
 * Exit 0: nothing pending, or every pending migration passes the lint.
 * Exit 1: a pending migration fails the lint, or a migration failed earlier (resolve it first).
 * Exit 2: DATABASE_URL unset, or the database cannot be reached.
 */
import path from 'node:path';
import { readAppliedMigrations, type AppliedMigration } from '../migrations/applied-migrations';
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

/** The lines of Prisma's failure log worth showing: the database error, not the boilerplate. */
function failureReason(logs: string | null | undefined): string[] {
  if (!logs) return ['(Prisma recorded no error text)'];
  return logs
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(0, 12);
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('[db:check] DATABASE_URL is not set (the database to check)\n');
    return 2;
  }
  const dir = shippedMigrationsDir();
  const shipped = listShippedMigrations(dir);
  let rows: AppliedMigration[];
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
    `this checkout ships ${shipped.length} migration(s); schema ${state.state}`,
    '',
    'applied:',
  ];
  out.push(...(state.applied.length ? state.applied.map((n) => `  ✓ ${n}`) : ['  (none)']));
  if (state.unknown.length)
    out.push(
      '',
      'applied but not in this checkout (database ahead of the code):',
      ...state.unknown.map((n) => `  ? ${n}`),
    );
  if (state.failed.length) {
    out.push('', 'FAILED (recorded in the database; Prisma applies nothing more until each is resolved):');
    for (const name of state.failed) {
      const row = [...rows].reverse().find((r) => r.name === name && r.finishedAt === null);
      out.push(
        `  ✗ ${name}${shipped.includes(name) ? '' : '  (not in this checkout: run db:check from a checkout of the commit being deployed)'}`,
        ...failureReason(row?.logs).map((line) => `      | ${line}`),
        '      fix the cause first (see docs/runbooks/deploy.md, "A failed pre-deploy"), then:',
        `      npm run db:resolve -- --rolled-back ${name}`,
      );
    }
  }
  out.push('', 'pending:');
  const files = state.pending.map((name) => path.join(dir, name, 'migration.sql'));
  const lint = lintMigrationFiles(files);
  if (!state.pending.length) out.push('  (none) — `npm run db:deploy` has nothing to do');
  for (const [i, name] of state.pending.entries()) {
    const violations = lint.violations.filter((v) => path.resolve(v.file) === path.resolve(files[i]));
    const verdict = lint.excluded.includes(files[i])
      ? 'lint: baseline (excluded in .squawk.toml)'
      : violations.length
        ? `lint: FAIL (${violations.length})`
        : 'lint: ok';
    out.push(`  • ${name}${state.failed.includes(name) ? '  [FAILED earlier: see above]' : ''}  ${verdict}`);
    for (const v of violations) out.push(`      line ${v.line}: ${v.rule}: ${v.message}`);
  }
  const verdict = state.failed.length
    ? `NOT READY: ${state.failed.length} migration(s) failed earlier; fix the cause, then npm run db:resolve (docs/runbooks/deploy.md, "A failed pre-deploy")`
    : !lint.ok
      ? 'NOT READY: a pending migration fails the migration lint'
      : state.pending.length
        ? `READY: ${state.pending.length} migration(s) will be applied by the pre-deploy step (npm run db:deploy)`
        : 'UP TO DATE';
  out.push('', `verdict: ${verdict}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return state.failed.length || !lint.ok ? 1 : 0;
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
