/**
 * What the zero-downtime specs share (zero-downtime-expand, zero-downtime-rename): a temp folder
 * per file, the old release (HEAD) built once per file in its own worktree, and the new
 * release's migrations — the shipped ones plus one more — written to a temp copy of the
 * migrations folder, never to the real one. Two files rather than one so that Jest's two
 * workers run them side by side (each spends much of its time in Render's waits).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RehearsalReport } from '../../src/rehearse/rehearse';
import { REPO_ROOT } from '../../src/repo';

/** Each added migration bounds its locks and statements, as db:lint requires. */
const TIMEOUTS = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\n";

export interface ZeroDowntimeFixture {
  /** The shipped migrations plus `name` with `sql`, in a temp folder; returns the folder. */
  migrationsWith(name: string, sql: string): string;
  /** Arguments every deploy:compat / deploy:rehearse call takes: HEAD as the old release, built once. */
  common: string[];
  /** A temp folder for a run's reports. */
  reportDir(name: string): string;
  /** Remove the temp folder and git's record of the worktree. */
  cleanup(): void;
  env: NodeJS.ProcessEnv;
}

export function zeroDowntimeFixture(prefix: string): ZeroDowntimeFixture {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `chefcloud-${prefix}-`));
  return {
    migrationsWith(name, sql) {
      const dir = path.join(temp, name);
      fs.cpSync(path.join(REPO_ROOT, 'packages/db/prisma/migrations'), dir, { recursive: true });
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), `${TIMEOUTS}${sql}\n`);
      return dir;
    },
    common: ['--from', 'HEAD', '--workdir', path.join(temp, 'old-release')],
    reportDir: (name) => path.join(temp, name),
    cleanup() {
      fs.rmSync(temp, { recursive: true, force: true });
      spawnSync('git', ['worktree', 'prune'], { cwd: REPO_ROOT });
    },
    env: { TURBO_TELEMETRY_DISABLED: '1' },
  };
}

/** The JSON report `deploy:rehearse` wrote for `variant` in `dir`. */
export const rehearsalReport = (dir: string, variant: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, `${variant}.json`), 'utf8')) as RehearsalReport;
