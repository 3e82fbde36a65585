import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './run-bench';

/**
 * Write the generated report files (docs/benchmarks*.{md,json}) and format them with the
 * repository's Prettier, as `npm run lint` checks them: a regenerated page is committed as is.
 */
export function writeGeneratedDocs(files: Record<string, string>): void {
  const paths = Object.entries(files).map(([relative, content]) => {
    const file = path.join(REPO_ROOT, relative);
    fs.writeFileSync(file, content);
    return file;
  });
  const prettier = spawnSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs', { paths: [REPO_ROOT] }), '--write', '--log-level', 'warn', ...paths],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (prettier.status !== 0) throw new Error(`prettier --write failed: ${prettier.stderr || prettier.stdout}`);
}
