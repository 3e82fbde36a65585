import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DB_PACKAGE_DIR } from '../paths';

// The operator commands run from the compiled code (dist/), so they work in a Render shell or the
// Docker image, where there is no TypeScript source and no tsx.
const pkg = JSON.parse(fs.readFileSync(path.join(DB_PACKAGE_DIR, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('the operator commands of @chefcloud/db', () => {
  it.each([
    ['db:check', 'cli/db-check.js'],
    ['db:lint', 'cli/db-lint.js'],
    ['db:seed', 'seed/run-seed.js'],
    ['admin:create-owner', 'cli/create-owner.js'],
  ])('%s runs dist/%s through scripts/run-built.mjs', (script, file) => {
    expect(pkg.scripts[script]).toBe(`node scripts/run-built.mjs ${file}`);
    expect(fs.existsSync(path.join(DB_PACKAGE_DIR, 'src', file.replace(/\.js$/, '.ts')))).toBe(true);
  });

  it('needs no tsx, and ships what they load at run time as dependencies', () => {
    expect(JSON.stringify(pkg.scripts)).not.toMatch(/\btsx\b/);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.dependencies).toHaveProperty('squawk-cli');
    expect(pkg.dependencies).toHaveProperty('validator');
  });

  it('run-built names the missing build instead of a stack trace', () => {
    const result = spawnSync(process.execPath, [path.join(DB_PACKAGE_DIR, 'scripts/run-built.mjs'), 'cli/nope.js'], {
      encoding: 'utf8',
      cwd: DB_PACKAGE_DIR,
    });
    expect(result.stderr.trim()).toBe(
      "[chefcloud-db] dist/cli/nope.js is not built: run `npm run build` first (Render's build does).",
    );
    expect(result.status).toBe(2);
  });
});
