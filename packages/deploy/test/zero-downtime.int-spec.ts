/**
 * Zero-downtime deploys, proven both ways, as an operator runs them (`npm run deploy:compat`,
 * `npm run deploy:rehearse`): the old release is HEAD, built in a git worktree (node_modules
 * hard-linked: same lockfile); the new release is the working tree with one more migration,
 * written to a temp copy of the migrations folder (never to the real one):
 *   - expand-only (a new nullable column): the N-1 gate passes, and the rehearsal's three
 *     variants end with zero failed requests and the expected outcome;
 *   - a rename of a column the old release reads: the N-1 gate fails naming the health check
 *     that reports the column missing, and
 *     the rehearsal counts failed requests in the "migrating" phase.
 *
 * @slow (~220 s: builds the old release, then Render's waits): starts first (jest.sequencer.js).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmRun } from '@chefcloud/db/testing';
import type { RehearsalReport } from '../src/rehearse/rehearse';
import { REPO_ROOT } from '../src/repo';

jest.setTimeout(900_000);

const TIMEOUTS = "SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\n";
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-zero-downtime-'));
const workdir = path.join(temp, 'old-release');
const env = { TURBO_TELEMETRY_DISABLED: '1' };

/** The shipped migrations plus `name` with `sql`, in a temp folder. */
function migrationsWith(name: string, sql: string): string {
  const dir = path.join(temp, name);
  fs.cpSync(path.join(REPO_ROOT, 'packages/db/prisma/migrations'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), `${TIMEOUTS}${sql}\n`);
  return dir;
}

const expand = migrationsWith('20990101000000_users_nickname', 'ALTER TABLE "users" ADD COLUMN "nickname" TEXT;');
const rename = migrationsWith(
  '20990101000000_users_given_name',
  'ALTER TABLE "users" RENAME COLUMN "first_name" TO "given_name";',
);
const common = ['--from', 'HEAD', '--workdir', workdir];

afterAll(() => {
  fs.rmSync(temp, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: REPO_ROOT });
});

const report = (dir: string, variant: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, `${variant}.json`), 'utf8')) as RehearsalReport;

describe('the N-1 gate: npm run deploy:compat', () => {
  it('passes an expand-only migration: the previous release’s smoke works on the new schema', async () => {
    const { code, out } = await npmRun(['deploy:compat', '--', ...common, '--migrations-dir', expand], env);
    expect(out).toContain('[smoke] ok   password login: POST /auth/login → 200');
    expect(out).toContain('[smoke] ok   maintenance end: POST /ops/maintenance/');
    expect(out).toMatch(
      /deploy:compat: release \w{7} \(HEAD\) works on HEAD's schema \(1 newer migration\(s\): 20990101000000_users_nickname\); smoke 8\/8 passed/,
    );
    expect(code).toBe(0);
  });

  it('fails a rename of a column the previous release reads, naming the request and the expand/contract rule', async () => {
    const { code, out } = await npmRun(['deploy:compat', '--', ...common, '--migrations-dir', rename], env);
    expect(out).toMatch(
      // The old release's readiness checks every mapped column: it names the renamed one itself.
      /deploy:compat: FAILED — release \w{7} \(HEAD\) cannot live with HEAD's schema: its health check GET \/api\/health answered 503 .*"missing":\["users\.first_name"\]/,
    );
    expect(out).toContain("HEAD's new migrations: 20990101000000_users_given_name");
    expect(out).toContain('docs/runbooks/expand-contract.md');
    expect(code).toBe(1);
  });
});

describe('the rehearsal: npm run deploy:rehearse', () => {
  it('deploys an expand-only migration with zero failed requests; --skip-predeploy and --break fail as expected, still with zero', async () => {
    const reports = path.join(temp, 'expand-reports');
    const { code, out } = await npmRun(
      [
        'deploy:rehearse',
        '--',
        ...common,
        '--all',
        '--install',
        'reuse',
        '--skip-build',
        '--short',
        '--migrations-dir',
        expand,
        '--report-dir',
        reports,
      ],
      env,
    );
    expect(out).toMatch(/rehearsal default: \d+ requests, 0 failed, deploy succeeded\n/);
    expect(out).toMatch(/rehearsal skip-predeploy: \d+ requests, 0 failed, deploy failed as expected\n/);
    expect(out).toMatch(/rehearsal break: \d+ requests, 0 failed, deploy failed as expected\n/);
    const deployed = report(reports, 'default');
    expect(deployed.phases.map((p) => [p.phase, p.requests > 0, p.failed])).toEqual([
      ['old only', true, 0],
      ['migrating', true, 0],
      ['both', true, 0],
      ['new only', true, 0],
    ]);
    expect(report(reports, 'skip-predeploy').reason).toMatch(/never passed GET \/api\/health .*"state":"behind"/);
    expect(report(reports, 'break').reason).toMatch(/^pre-deploy exited with 1: Render cancels the deploy/);
    for (const variant of ['skip-predeploy', 'break'])
      expect(
        report(reports, variant)
          .phases.filter((p) => p.phase === 'both' || p.phase === 'new only')
          .map((p) => p.requests),
      ).toEqual([0, 0]);
    expect(code).toBe(0);
  });

  it('counts failed requests (503, never 500) during "migrating" when the migration renames a column the releases read; the new release never turns healthy', async () => {
    const reports = path.join(temp, 'rename-reports');
    const { code, out } = await npmRun(
      [
        'deploy:rehearse',
        '--',
        ...common,
        '--install',
        'reuse',
        '--skip-build',
        '--short',
        '--migrations-dir',
        rename,
        '--report-dir',
        reports,
      ],
      env,
    );
    const migrating = report(reports, 'default').phases.find((p) => p.phase === 'migrating')!;
    expect(migrating.failed).toBeGreaterThan(0);
    // 503s (the old release's routes that read the renamed column, then no healthy server at
    // all once its readiness fails), never a 500.
    expect(migrating.non2xx['503']).toBeGreaterThan(0);
    expect(migrating.non2xx['500']).toBeUndefined();
    // The new release maps the old column name too: its readiness names it missing, so it never
    // turns healthy and the deploy fails (the old release keeps the traffic, answering 503s).
    expect(out).toMatch(/rehearsal default: \d+ requests, [1-9]\d* failed, deploy failed \(expected it to succeed\)\n/);
    expect(code).toBe(1);
  });
});
