/**
 * Zero-downtime deploys, the breaking way: the new release renames a column the old release
 * reads. `npm run deploy:compat` (the N-1 gate) fails naming the health check that reports the
 * column missing and pointing to the expand/contract rule, and `npm run deploy:rehearse` counts
 * failed requests (503, never 500) in the "migrating" phase. The old release is HEAD, built in a
 * git worktree (node_modules hard-linked: same lockfile). The safe case is
 * zero-downtime-expand.int-spec.ts.
 *
 * @slow (~110 s: builds the old release, then Render's waits): starts first (jest.sequencer.js).
 */
import { npmRun } from '@chefcloud/db/testing';
import { rehearsalReport, zeroDowntimeFixture } from './support/zero-downtime';

jest.setTimeout(900_000);

const fixture = zeroDowntimeFixture('zero-downtime-rename');
const rename = fixture.migrationsWith(
  '20990101000000_users_given_name',
  'ALTER TABLE "users" RENAME COLUMN "first_name" TO "given_name";',
);

afterAll(() => fixture.cleanup());

it('the N-1 gate (deploy:compat) fails a rename of a column the previous release reads, naming the request and the expand/contract rule', async () => {
  const { code, out } = await npmRun(
    ['deploy:compat', '--', ...fixture.common, '--migrations-dir', rename],
    fixture.env,
  );
  expect(out).toMatch(
    // The old release's readiness checks every mapped column: it names the renamed one itself.
    /deploy:compat: FAILED — release \w{7} \(HEAD\) cannot live with HEAD's schema: its health check GET \/api\/health answered 503 .*"missing":\["users\.first_name"\]/,
  );
  expect(out).toContain("HEAD's new migrations: 20990101000000_users_given_name");
  expect(out).toContain('docs/runbooks/expand-contract.md');
  expect(code).toBe(1);
});

it('the rehearsal (deploy:rehearse) counts failed requests (503, never 500) during "migrating"; the new release never turns healthy', async () => {
  const reports = fixture.reportDir('rename-reports');
  const { code, out } = await npmRun(
    [
      'deploy:rehearse',
      '--',
      ...fixture.common,
      '--install',
      'reuse',
      '--skip-build',
      '--short',
      '--migrations-dir',
      rename,
      '--report-dir',
      reports,
    ],
    fixture.env,
  );
  const migrating = rehearsalReport(reports, 'default').phases.find((p) => p.phase === 'migrating')!;
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
