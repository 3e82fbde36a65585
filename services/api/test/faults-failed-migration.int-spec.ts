/**
 * Fault: a migration fails halfway through `npm run db:deploy` (the pre-deploy step). The command
 * exits non-zero, readiness says behind (naming the failed migration) while the running API
 * keeps serving, and the runbook's recovery — `db:resolve --rolled-back`, a fixed migration,
 * `db:deploy` — brings readiness back to 200 without a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD, MIGRATIONS_DIR } from '@chefcloud/db';
import { npmRun } from '@chefcloud/db/testing';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const BROKEN = '20991231000000_add_loyalty_points';

describe('fault: a migration fails halfway during db:deploy', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-failing-'));
  let t: TestApp;
  const previous = process.env.CHEFCLOUD_MIGRATIONS_DIR;

  beforeAll(async () => {
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, BROKEN));
    // The first statement succeeds, the second fails: "halfway".
    fs.writeFileSync(
      path.join(dir, BROKEN, 'migration.sql'),
      `SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE "users" ADD COLUMN "loyalty_points" INTEGER;\nUPDATE "users" SET "loyalty_points" = "no_such_column";\n`,
    );
    // This deployment ships the broken migration (the API reads the same directory as db:deploy).
    process.env.CHEFCLOUD_MIGRATIONS_DIR = dir;
    t = await startTestApp();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.CHEFCLOUD_MIGRATIONS_DIR;
    else process.env.CHEFCLOUD_MIGRATIONS_DIR = previous;
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero, keeps readiness at behind, and recovers with resolve --rolled-back and a fixed migration', async () => {
    const env = { DATABASE_URL: t.db.url, CHEFCLOUD_MIGRATIONS_DIR: dir };
    const before = await t.http.get('/api/health').expect(503);
    expect(before.body).toMatchObject({ schema: { state: 'behind', pending: [BROKEN] } });

    const failed = await npmRun(['db:deploy'], env);
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain(BROKEN);
    // One transaction: the column of the first statement is not left behind.
    const columns = await t.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'loyalty_points'`;
    expect(Number(columns[0].n)).toBe(0);

    const behind = await t.http.get('/api/health').expect(503);
    expect(behind.body).toMatchObject({
      status: 'unavailable',
      db: 'up',
      schema: { state: 'behind', pending: [BROKEN], failed: [BROKEN] },
    });
    // The running version keeps serving meanwhile.
    await t.http.post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD }).expect(200);
    const blocked = await npmRun(['db:deploy'], env);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toMatch(/P3009|failed migrations/);

    const recoveryStarted = Date.now();
    const resolved = await npmRun(['db:resolve', '--', '--rolled-back', BROKEN], env);
    expect(resolved.code).toBe(0);
    fs.writeFileSync(
      path.join(dir, BROKEN, 'migration.sql'),
      `SET LOCAL lock_timeout = '5s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE "users" ADD COLUMN "loyalty_points" INTEGER;\n`,
    );
    const fixed = await npmRun(['db:deploy'], env);
    expect(fixed.code).toBe(0);
    const ready = await t.http.get('/api/health').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', schema: { state: 'current', pending: [], latest: BROKEN } });
    recordFigures('fault-failed-migration', {
      deployExitCode: failed.code,
      secondDeployExitCode: blocked.code,
      readinessWhileFailed: behind.status,
      recoverySeconds: Math.round((Date.now() - recoveryStarted) / 100) / 10,
      readinessAfterRecovery: ready.status,
    });
  });
});
