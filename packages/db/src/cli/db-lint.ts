/**
 * `npm run db:lint`: squawk over every shipped migration.sql (CHEFCLOUD_MIGRATIONS_DIR overrides
 * the directory), with packages/db/.squawk.toml. Exit 1 on any violation.
 */
import path from 'node:path';
import { lintMigrationFiles } from '../migrations/migration-lint';
import { listShippedMigrations } from '../migrations/shipped-migrations';
import { shippedMigrationsDir } from '../paths';

const dir = shippedMigrationsDir();
const files = listShippedMigrations(dir).map((name) => path.join(dir, name, 'migration.sql'));
const result = lintMigrationFiles(files);
const relative = (file: string) => path.relative(process.cwd(), file);

for (const v of result.violations) {
  process.stdout.write(
    `${relative(v.file)}:${v.line}: ${v.rule}: ${v.message}${v.help ? `\n    help: ${v.help}` : ''}\n`,
  );
}
for (const c of result.contracts) {
  process.stdout.write(
    `${relative(c.file)}:${c.marker.line}: contract step (release ${c.marker.release} stopped using ${c.marker.objects}): ` +
      `${c.accepted.length} destructive statement(s) accepted${c.accepted.length ? ` (${c.accepted.map((v) => v.rule).join(', ')})` : ''}\n`,
  );
}
const checked = files.length - result.excluded.length;
process.stdout.write(
  `[db:lint] squawk: ${checked} migration(s) checked, ${result.excluded.length} baseline migration(s) excluded (see .squawk.toml), ` +
    `${result.contracts.length} contract step(s), ${result.violations.length} violation(s)` +
    `${result.ok ? '' : ' — see https://squawkhq.com/docs/rules and docs/runbooks/expand-contract.md'}\n`,
);
process.exitCode = result.ok ? 0 : 1;
