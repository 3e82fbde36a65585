#!/usr/bin/env node
/**
 * npm run deploy:compat [-- options]: the N-1 gate. The previous release serves on a database
 * migrated by HEAD and its black-box smoke must pass.
 *
 *   --from <ref>            the previous release (default HEAD~1, the previous commit)
 *   --install ci|reuse      how the previous release installs dependencies: `ci` runs render.yaml's
 *                           buildCommand as is; `reuse` (default) hard-links the working tree's
 *                           node_modules when package-lock.json is unchanged (else npm ci)
 *   --workdir <dir>         build the previous release there and keep it (reused by a later run)
 *   --migrations-dir <dir>  HEAD's migrations from this folder instead (tests)
 *
 * Exit 0 when the previous release works on HEAD's schema; 1 otherwise; 2 on bad usage.
 */
import path from 'node:path';
import { runCompat } from '../compat/compat';
import { REPO_ROOT } from '../repo';
import { parseArgs } from './args';

let args;
try {
  args = parseArgs(process.argv.slice(2), {
    flags: [],
    values: ['--from', '--install', '--workdir', '--migrations-dir'],
  });
  const install = args.values.get('--install')?.[0] ?? 'reuse';
  if (install !== 'ci' && install !== 'reuse') throw new Error('--install takes ci or reuse');
} catch (error) {
  process.stderr.write(`deploy:compat: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const value = (name: string) => args.values.get(name)?.[0];
runCompat({
  root: REPO_ROOT,
  from: value('--from'),
  install: (value('--install') ?? 'reuse') as 'ci' | 'reuse',
  workdir: value('--workdir') && path.resolve(value('--workdir')!),
  migrationsDir: value('--migrations-dir') && path.resolve(value('--migrations-dir')!),
}).then(
  (result) => {
    process.stdout.write(`${result.closing}\n`);
    process.exit(result.ok ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`deploy:compat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
