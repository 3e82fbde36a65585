import { DEMO_PASSWORD, migrateDeploy } from '@chefcloud/db';
import { createTestDatabase, migrateDeployBefore } from '@chefcloud/db/testing';
import { MISSING_TABLE_WARNING } from '../src/maintenance/maintenance.service';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

/**
 * The outage, replayed: production ran a build whose migration 20251029222740_change_control
 * had never been applied, and every POST — login included — answered 500 because the write
 * block queried the missing maintenance_windows table.
 */
describe('incident replay: the change_control migration never ran', () => {
  let t: TestApp;
  beforeAll(async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'incident' });
    await migrateDeployBefore(db.url, '20251029222740_change_control');
    t = await startTestApp({ LOG_LEVEL: 'info' }, { db });
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  const warnings = () => t.logs.lines.filter((l) => l.msg === MISSING_TABLE_WARNING);

  it('the database really lacks the change-control tables', async () => {
    const rows = await t.prisma.$queryRaw<
      { name: string }[]
    >`SELECT to_regclass('public.maintenance_windows')::text AS name`;
    expect(rows[0].name).toBeNull();
  });

  it('POST /auth/login answers 200 with good credentials and 401 with bad ones', async () => {
    const ok = await t.http.post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD });
    expect(ok.status).toBe(200);
    const bad = await t.http.post('/auth/login').send({ email: DEMO.owner, password: 'not-the-password' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('every other write works, and exactly one warning is logged for all of them', async () => {
    const token = await t.login(DEMO.waiter);
    for (let i = 0; i < 10; i++) await t.http.post('/probe/orders').set('Authorization', `Bearer ${token}`).expect(201);
    await t.http.post('/probe/public').expect(201);
    await t.http.post('/auth/logout-all').set('Authorization', `Bearer ${token}`).expect(200);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 40, context: 'Maintenance' });
    expect(t.logs.lines.filter((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 500)).toEqual([]);
  });

  it('the change-control endpoints degrade instead of failing: banner empty, evaluation off, writes 503 naming the migration', async () => {
    const owner = await t.login(DEMO.owner);
    const banner = await t.http.get('/ops/maintenance/active').set('Authorization', `Bearer ${owner}`).expect(200);
    expect(banner.body).toEqual([]);
    const evaluation = await t.http
      .get('/ops/flags/anything/evaluate')
      .set('Authorization', `Bearer ${owner}`)
      .expect(200);
    expect(evaluation.body).toMatchObject({ enabled: false, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });
    const create = await t.http
      .post('/ops/maintenance')
      .set('Authorization', `Bearer ${owner}`)
      .send({ startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() })
      .expect(503);
    expect(create.body).toMatchObject({
      code: 'SCHEMA_NOT_MIGRATED',
      details: { pendingMigration: '20251029222740_change_control' },
    });
    expect(create.body.message).toContain('20251029222740_change_control');
    expect(create.headers['retry-after']).toBe('30');
  });

  it('after prisma migrate deploy the maintenance features work', async () => {
    const result = await migrateDeploy(t.db.url);
    expect(result.stdout + result.stderr).toMatch(/20251029222740_change_control/);
    const owner = await t.login(DEMO.owner);
    const waiter = await t.login(DEMO.waiter);
    await t.http
      .post('/ops/maintenance')
      .set('Authorization', `Bearer ${owner}`)
      .send({
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 60_000).toISOString(),
      })
      .expect(201);
    const blocked = await t.http.post('/probe/orders').set('Authorization', `Bearer ${waiter}`).expect(503);
    expect(blocked.body).toMatchObject({ code: 'MAINTENANCE' });
    await t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD }).expect(200);
    expect(warnings()).toHaveLength(1);
  });
});
