/**
 * Zero-downtime deploys, the safe way (expand): the new release adds a nullable column. As an
 * operator runs them: `npm run deploy:compat` (the N-1 gate) passes, and `npm run
 * deploy:rehearse --all` ends its three variants with zero failed requests and the expected
 * outcome. The old release is HEAD, built in a git worktree (node_modules hard-linked: same
 * lockfile). The breaking case is zero-downtime-rename.int-spec.ts.
 *
 * @slow (~130 s: builds the old release, then Render's waits): starts first (jest.sequencer.js).
 */
import { npmRun } from '@chefcloud/db/testing';
import { rehearsalReport, zeroDowntimeFixture } from './support/zero-downtime';

jest.setTimeout(900_000);

const fixture = zeroDowntimeFixture('zero-downtime-expand');
const expand = fixture.migrationsWith(
  '20990101000000_users_nickname',
  'ALTER TABLE "users" ADD COLUMN "nickname" TEXT;',
);

afterAll(() => fixture.cleanup());

it('the N-1 gate (deploy:compat) passes an expand-only migration: the previous release’s smoke works on the new schema', async () => {
  const { code, out } = await npmRun(
    ['deploy:compat', '--', ...fixture.common, '--migrations-dir', expand],
    fixture.env,
  );
  expect(out).toContain('[smoke] ok   password login: POST /auth/login → 200');
  expect(out).toContain('[smoke] ok   maintenance end: POST /ops/maintenance/');
  expect(out).toMatch(
    /deploy:compat: release \w{7} \(HEAD\) works on HEAD's schema \(1 newer migration\(s\): 20990101000000_users_nickname\); smoke 8\/8 passed/,
  );
  expect(code).toBe(0);
});

it('the rehearsal (deploy:rehearse --all) deploys it with zero failed requests; --skip-predeploy and --break fail as expected, still with zero', async () => {
  const reports = fixture.reportDir('expand-reports');
  const { code, out } = await npmRun(
    [
      'deploy:rehearse',
      '--',
      ...fixture.common,
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
    fixture.env,
  );
  expect(out).toMatch(/rehearsal default: \d+ requests, 0 failed, deploy succeeded\n/);
  expect(out).toMatch(/rehearsal skip-predeploy: \d+ requests, 0 failed, deploy failed as expected\n/);
  expect(out).toMatch(/rehearsal break: \d+ requests, 0 failed, deploy failed as expected\n/);
  const deployed = rehearsalReport(reports, 'default');
  expect(deployed.phases.map((p) => [p.phase, p.requests > 0, p.failed])).toEqual([
    ['old only', true, 0],
    ['migrating', true, 0],
    ['both', true, 0],
    ['new only', true, 0],
  ]);
  expect(rehearsalReport(reports, 'skip-predeploy').reason).toMatch(
    /never passed GET \/api\/health .*"state":"behind"/,
  );
  expect(rehearsalReport(reports, 'break').reason).toMatch(/^pre-deploy exited with 1: Render cancels the deploy/);
  for (const variant of ['skip-predeploy', 'break'])
    expect(
      rehearsalReport(reports, variant)
        .phases.filter((p) => p.phase === 'both' || p.phase === 'new only')
        .map((p) => p.requests),
    ).toEqual([0, 0]);
  expect(code).toBe(0);
});
