import type { ApplicationConfig } from '@nestjs/core';
import { JwtAuthGuard } from '../src/auth/jwt/jwt-auth.guard';
import { RolesGuard } from '../src/auth/roles/roles.guard';
import { MaintenanceService } from '../src/maintenance/maintenance.service';
import { WriteBlockGuard } from '../src/maintenance/write-block.guard';
import { createPlatformAdmin, DEMO, startTestApp, type TestApp } from './support/test-app';

const MIN = 60_000;
const T0 = new Date(Math.floor(Date.now() / MIN) * MIN + 5 * MIN);
const at = (minutes: number, ms = 0) => new Date(T0.getTime() + minutes * MIN + ms);

describe('maintenance windows and the write block (real PostgreSQL)', () => {
  let t: TestApp;
  let owner: string;
  let manager: string;
  let waiter: string;
  let otherOwner: string;
  let platformAdmin: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_ADMIN_ORG_SLUG: 'platform', LOG_LEVEL: 'info' });
    const adminEmail = await createPlatformAdmin(t);
    [owner, manager, waiter, otherOwner, platformAdmin] = await Promise.all([
      t.login(DEMO.owner),
      t.login(DEMO.manager),
      t.login(DEMO.waiter),
      t.login(DEMO.otherOwner),
      t.login(adminEmail),
    ]);
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'kitchen-display', active: true }).expect(201);
  });
  afterEach(async () => {
    t.setNow(undefined);
    await t.prisma.maintenanceWindow.deleteMany();
    t.app.get(MaintenanceService).invalidate();
  });
  afterAll(async () => {
    await t.close();
  });

  const write = (token: string) => t.http.post('/probe/orders').set(auth(token));
  const createWindow = (token: string, body: Record<string, unknown>) =>
    t.http.post('/ops/maintenance').set(auth(token)).send(body);

  it('blocks writes exactly from startsAt until endsAt, with Retry-After counting down to the end', async () => {
    t.setNow(at(0));
    const res = await createWindow(owner, {
      startsAt: at(10).toISOString(),
      endsAt: at(40).toISOString(),
      message: 'Menu import',
    }).expect(201);
    const id = (res.body as { id: string }).id;

    t.setNow(at(10, -1));
    await write(waiter).expect(201);
    t.setNow(at(10));
    const blocked = await write(waiter).set('X-Request-Id', 'mw-1').expect(503);
    expect(blocked.body).toEqual({
      statusCode: 503,
      code: 'MAINTENANCE',
      message: 'Menu import',
      window: { id, endsAt: at(40).toISOString() },
      requestId: 'mw-1',
    });
    expect(blocked.headers['retry-after']).toBe(String(30 * 60));
    await t.http.patch('/ops/flags/kitchen-display').set(auth(owner)).send({ rolloutPct: 50 }).expect(503);
    await t.http.delete('/probe/orders').set(auth(waiter)).expect(404); // no such route: routing comes first

    t.setNow(at(40, -1000));
    const last = await write(waiter).expect(503);
    expect(last.headers['retry-after']).toBe('1');
    t.setNow(at(40));
    await write(waiter).expect(201);
  });

  it('never blocks reads', async () => {
    t.setNow(at(0));
    await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    await t.http.get('/ops/flags/kitchen-display').set(auth(owner)).expect(200);
    await t.http.get('/auth/me').set(auth(waiter)).expect(200);
  });

  it('keeps windows per org: one org’s window does not block another org', async () => {
    t.setNow(at(0));
    const res = await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    await write(waiter).expect(503);
    await write(otherOwner).expect(201);
    const id = (res.body as { id: string }).id;
    // Another org's window does not exist for them.
    await t.http.patch(`/ops/maintenance/${id}`).set(auth(otherOwner)).send({ message: 'mine now' }).expect(404);
    await t.http.post(`/ops/maintenance/${id}/end`).set(auth(otherOwner)).expect(404);
    const list = await t.http.get('/ops/maintenance/list').set(auth(otherOwner)).expect(200);
    expect((list.body as { total: number }).total).toBe(0);
    const banner = await t.http.get('/ops/maintenance/active').set(auth(otherOwner)).expect(200);
    expect(banner.body).toEqual([]);
  });

  it('lets only platform admins create and change global windows, which block every org and anonymous writes', async () => {
    t.setNow(at(0));
    const refused = await createWindow(owner, {
      startsAt: at(0).toISOString(),
      endsAt: at(30).toISOString(),
      global: true,
    }).expect(403);
    expect(refused.body).toMatchObject({ code: 'PLATFORM_ADMIN_REQUIRED' });
    await t.http.post('/probe/public').expect(201);
    const res = await createWindow(platformAdmin, {
      startsAt: at(0).toISOString(),
      endsAt: at(30).toISOString(),
      global: true,
    }).expect(201);
    expect(res.body).toMatchObject({ global: true, orgId: null });
    await write(waiter).expect(503);
    await write(otherOwner).expect(503);
    await t.http.post('/probe/public').expect(503);
    const id = (res.body as { id: string }).id;
    await t.http.post(`/ops/maintenance/${id}/end`).set(auth(owner)).expect(403);
    const banner = await t.http.get('/ops/maintenance/active').set(auth(waiter)).expect(200);
    expect((banner.body as { id: string }[]).map((w) => w.id)).toEqual([id]);
    await t.http.post(`/ops/maintenance/${id}/end`).set(auth(platformAdmin)).expect(200);
    await write(otherOwner).expect(201);
  });

  it('runs after authentication and roles: 401 and 403 come before 503', async () => {
    t.setNow(at(0));
    await createWindow(platformAdmin, {
      startsAt: at(0).toISOString(),
      endsAt: at(30).toISOString(),
      global: true,
    }).expect(201);
    await t.http.post('/probe/orders').expect(401);
    await t.http.post('/ops/flags').set(auth(waiter)).send({ key: 'order-check' }).expect(403);
    await write(waiter).expect(503);
  });

  it('the running app applies its global guards in the registered order: JWT → roles → write block', () => {
    // Nest keeps the global guards on the application's (internal) ApplicationConfig, in the
    // order it runs them; GLOBAL_ENHANCERS in app.module.ts is where that order is set.
    const config = (t.app as unknown as { config: ApplicationConfig }).config;
    expect(config.getGlobalGuards().map((guard) => guard.constructor)).toEqual([
      JwtAuthGuard,
      RolesGuard,
      WriteBlockGuard,
    ]);
  });

  it('an org window does not block anonymous writes (they are checked against global windows only)', async () => {
    t.setNow(at(0));
    await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    await t.http.post('/probe/public').expect(201);
  });

  it('exempts auth, health, the maintenance endpoints and the kill switch', async () => {
    t.setNow(at(0));
    const res = await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    const id = (res.body as { id: string }).id;
    await write(waiter).expect(503);
    await t.http.post('/auth/login').send({ email: DEMO.manager, password: 'ChefCloud-demo-2025' }).expect(200);
    await t.http.post('/auth/login').send({ email: DEMO.manager, password: 'wrong' }).expect(401);
    const extra = await t.login(DEMO.waiter);
    await t.http.post('/auth/logout').set(auth(extra)).expect(204);
    await t.http.get('/api/health/live').expect(200);
    await createWindow(owner, { startsAt: at(60).toISOString(), endsAt: at(90).toISOString() }).expect(201);
    await t.http.patch(`/ops/maintenance/${id}`).set(auth(owner)).send({ message: 'Almost done' }).expect(200);
    await t.http
      .post('/ops/flags/kitchen-display/kill')
      .set(auth(owner))
      .send({ reason: 'during maintenance' })
      .expect(201);
    await t.http.patch('/ops/flags/kitchen-display/toggle').set(auth(owner)).send({}).expect(503);
    await t.http.post('/ops/flags').set(auth(owner)).send({ key: 'blocked-create' }).expect(503);
    await t.http.post(`/ops/maintenance/${id}/end`).set(auth(owner)).expect(200);
    await write(waiter).expect(201);
    await t.http.patch('/ops/flags/kitchen-display/toggle').set(auth(owner)).send({}).expect(200);
  });

  it('lets L5 users bypass with X-Maintenance-Bypass: 1 (logged), and nobody else', async () => {
    t.setNow(at(0));
    await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    await write(owner).set('X-Maintenance-Bypass', '1').expect(201);
    await write(owner).expect(503);
    await write(owner).set('X-Maintenance-Bypass', 'true').expect(503);
    await write(manager).set('X-Maintenance-Bypass', '1').expect(503);
    await write(waiter).set('X-Maintenance-Bypass', '1').expect(503);
    await t.http
      .patch('/ops/flags/kitchen-display')
      .set(auth(owner))
      .set('X-Maintenance-Bypass', '1')
      .send({ rolloutPct: 100 })
      .expect(200);
    expect(t.logs.lines.filter((l) => l.msg === 'maintenance write block bypassed by an L5 user')).toHaveLength(2);
  });

  it('sees its own changes at once and another instance’s within the cache interval', async () => {
    t.setNow(at(0));
    await write(waiter).expect(201); // caches "no window" for this org
    // A window written by another instance (straight into the table) is not seen while cached...
    const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
    await t.prisma.maintenanceWindow.create({ data: { orgId: org.id, startsAt: at(0), endsAt: at(30) } });
    t.setNow(at(0, t.config.changeControl.maintenanceCacheTtlMs - 1));
    await write(waiter).expect(201);
    // ...and is once the interval has passed.
    t.setNow(at(0, t.config.changeControl.maintenanceCacheTtlMs));
    await write(waiter).expect(503);
    // Ending it through this instance unblocks at once.
    const list = await t.http.get('/ops/maintenance/list').set(auth(manager)).expect(200);
    const id = (list.body as { items: { id: string }[] }).items[0].id;
    await t.http.post(`/ops/maintenance/${id}/end`).set(auth(owner)).expect(200);
    await write(waiter).expect(201);
    // Creating one through this instance blocks at once, despite the cached "no window".
    await createWindow(owner, { startsAt: at(0).toISOString(), endsAt: at(30).toISOString() }).expect(201);
    await write(waiter).expect(503);
  });

  it('an org cannot escape a global block with many non-blocking windows of its own; the banner keeps the global one', async () => {
    t.setNow(at(0));
    const global = await createWindow(platformAdmin, {
      startsAt: at(0).toISOString(),
      endsAt: at(60).toISOString(),
      global: true,
      message: 'Platform upgrade',
    }).expect(201);
    // Older rows made before the cap existed: 100 non-blocking windows ending in 9999.
    const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
    await t.prisma.maintenanceWindow.createMany({
      data: Array.from({ length: 100 }, () => ({
        orgId: org.id,
        startsAt: at(-1),
        endsAt: new Date('9999-12-31T00:00:00Z'),
        blockWrites: false,
      })),
    });
    t.app.get(MaintenanceService).invalidate();
    const blocked = await write(waiter).expect(503);
    expect(blocked.body).toMatchObject({ code: 'MAINTENANCE', window: { id: (global.body as { id: string }).id } });
    const banner = await t.http.get('/ops/maintenance/active').set(auth(waiter)).expect(200);
    expect((banner.body as { global: boolean }[]).filter((w) => w.global)).toHaveLength(1);
    // And the cap stops an org from opening more (a clear 409).
    const refused = await createWindow(owner, {
      startsAt: at(1).toISOString(),
      endsAt: '9999-12-31T00:00:00Z',
      blockWrites: false,
    }).expect(409);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_OPEN_WINDOWS', details: { maxOpenWindows: 20 } });
  });

  it('caps the open windows of an org (MAINTENANCE_MAX_OPEN_WINDOWS, 20), even under 40 parallel creates', async () => {
    t.setNow(undefined);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        createWindow(owner, {
          startsAt: new Date(Date.now() + (i + 1) * MIN).toISOString(),
          endsAt: new Date(Date.now() + (i + 2) * MIN).toISOString(),
          blockWrites: false,
        }).then((r) => r.status),
      ),
    );
    // Creates for one org are serialized: on a loaded machine a few may wait past the database
    // timeouts and answer 503 + Retry-After (never created). The rest fill the cap exactly.
    const unavailable = statuses.filter((s) => s === 503).length;
    expect(unavailable).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 201)).toHaveLength(Math.min(20, 40 - unavailable));
    expect(statuses.filter((s) => s === 409)).toHaveLength(40 - unavailable - Math.min(20, 40 - unavailable));
    const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
    expect(await t.prisma.maintenanceWindow.count({ where: { orgId: org.id } })).toBe(Math.min(20, 40 - unavailable));
    // Windows in the past do not count; reopening one does.
    await t.prisma.maintenanceWindow.deleteMany({ where: { orgId: org.id } });
    const past = await createWindow(owner, {
      startsAt: new Date(Date.now() - 10 * MIN).toISOString(),
      endsAt: new Date(Date.now() - 5 * MIN).toISOString(),
    }).expect(201);
    for (let i = 0; i < 20; i++)
      await createWindow(owner, {
        startsAt: new Date(Date.now() + (i + 1) * MIN).toISOString(),
        endsAt: new Date(Date.now() + (i + 2) * MIN).toISOString(),
      }).expect(201);
    await t.http
      .patch(`/ops/maintenance/${(past.body as { id: string }).id}`)
      .set(auth(owner))
      .send({ endsAt: new Date(Date.now() + 60 * MIN).toISOString() })
      .expect(409);
  });

  it('concurrent PATCHes can never store a window that ends before it starts (compare-and-set, 409 for the loser)', async () => {
    t.setNow(undefined);
    const base = Date.now() + 60 * MIN;
    let inverted = 0;
    const outcomes: number[] = [];
    for (let round = 0; round < 5; round++) {
      const created = await createWindow(owner, {
        startsAt: new Date(base).toISOString(),
        endsAt: new Date(base + 60 * MIN).toISOString(),
      }).expect(201);
      const id = (created.body as { id: string }).id;
      // Each PATCH alone is valid against what it read; together they would invert the window.
      const [a, b] = await Promise.all([
        t.http
          .patch(`/ops/maintenance/${id}`)
          .set(auth(owner))
          .send({ startsAt: new Date(base + 50 * MIN).toISOString() }),
        t.http
          .patch(`/ops/maintenance/${id}`)
          .set(auth(owner))
          .send({ endsAt: new Date(base + 10 * MIN).toISOString() }),
      ]);
      outcomes.push(a.status, b.status);
      const stored = await t.prisma.maintenanceWindow.findUniqueOrThrow({ where: { id } });
      if (stored.endsAt <= stored.startsAt) inverted++;
      await t.prisma.maintenanceWindow.delete({ where: { id } });
    }
    expect(inverted).toBe(0);
    expect(outcomes.every((s) => [200, 400, 409].includes(s))).toBe(true);
  });

  it('the database refuses a window that ends before it starts (CHECK constraint), but keeps zero-length cancelled ones', async () => {
    const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
    await expect(
      t.prisma.maintenanceWindow.create({ data: { orgId: org.id, startsAt: at(10), endsAt: at(5) } }),
    ).rejects.toThrow(/maintenance_windows_ends_not_before_starts|check constraint/i);
    await expect(
      t.prisma.maintenanceWindow.create({ data: { orgId: org.id, startsAt: at(10), endsAt: at(10) } }),
    ).resolves.toBeDefined();
    const [constraint] = await t.prisma.$queryRaw<{ convalidated: boolean }[]>`
      SELECT convalidated FROM pg_constraint WHERE conname = 'maintenance_windows_ends_not_before_starts'`;
    expect(constraint).toEqual({ convalidated: true });
  });

  it.each([
    ['startsAt', { startsAt: null, endsAt: '2099-01-01T01:00:00Z' }],
    ['endsAt', { startsAt: '2099-01-01T00:00:00Z', endsAt: null }],
    ['blockWrites', { startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z', blockWrites: null }],
    ['global', { startsAt: '2099-01-01T00:00:00Z', endsAt: '2099-01-01T01:00:00Z', global: null }],
    ['endsAt', { startsAt: '2099-01-01T00:00:00Z', endsAt: '9999-12-31T20:00:00-23:00' }],
    ['startsAt', { startsAt: '1970-01-01T00:30:00+01:00', endsAt: '2099-01-01T01:00:00Z' }],
  ])('refuses %s as null or an instant outside 1970–9999 after its offset (400 naming it)', async (field, body) => {
    const res = await createWindow(owner, body).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
  });

  it('null clears the message (documented), and PATCH fields as null are 400', async () => {
    const created = await createWindow(owner, {
      startsAt: '2099-01-01T00:00:00Z',
      endsAt: '2099-01-01T01:00:00Z',
      message: null,
    }).expect(201);
    const id = (created.body as { id: string }).id;
    await t.http.patch(`/ops/maintenance/${id}`).set(auth(owner)).send({ message: 'hello' }).expect(200);
    const cleared = await t.http.patch(`/ops/maintenance/${id}`).set(auth(owner)).send({ message: null }).expect(200);
    expect(cleared.body).toMatchObject({ message: null });
    for (const field of ['startsAt', 'endsAt', 'blockWrites']) {
      const res = await t.http
        .patch(`/ops/maintenance/${id}`)
        .set(auth(owner))
        .send({ [field]: null })
        .expect(400);
      expect(res.body).toMatchObject({ details: [expect.objectContaining({ field })] });
    }
  });

  describe('endpoints', () => {
    it('validates windows: ISO dates, endsAt after startsAt, no unknown fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ startsAt: at(10).toISOString(), endsAt: at(5).toISOString() }, 'endsAt'],
        [{ startsAt: at(10).toISOString(), endsAt: at(10).toISOString() }, 'endsAt'],
        [{ startsAt: 'tomorrow', endsAt: at(5).toISOString() }, 'startsAt'],
        [{ startsAt: at(1).toISOString() }, 'endsAt'],
        [{ startsAt: at(1).toISOString(), endsAt: at(5).toISOString(), orgId: 'x' }, 'orgId'],
        [{ startsAt: at(1).toISOString(), endsAt: at(5).toISOString(), blockWrites: 'yes' }, 'blockWrites'],
      ];
      for (const [body, field] of cases) {
        const res = await createWindow(owner, body).expect(400);
        expect((res.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
      }
    });

    it('records the acting user and defaults blockWrites to true', async () => {
      const res = await createWindow(owner, { startsAt: at(1).toISOString(), endsAt: at(5).toISOString() }).expect(201);
      const me = await t.http.get('/auth/me').set(auth(owner));
      expect(res.body).toMatchObject({
        blockWrites: true,
        global: false,
        createdById: (me.body as { user: { id: string } }).user.id,
      });
    });

    it('enforces role levels: banner for everyone, list for L4+, changes for L5', async () => {
      await createWindow(manager, { startsAt: at(1).toISOString(), endsAt: at(5).toISOString() }).expect(403);
      await createWindow(waiter, { startsAt: at(1).toISOString(), endsAt: at(5).toISOString() }).expect(403);
      await t.http.get('/ops/maintenance/active').set(auth(waiter)).expect(200);
      await t.http.get('/ops/maintenance/list').set(auth(waiter)).expect(403);
      await t.http.get('/ops/maintenance/list').set(auth(manager)).expect(200);
      await t.http.get('/ops/maintenance/active').expect(401);
    });

    it('shows non-blocking windows on the banner without blocking writes', async () => {
      t.setNow(at(0));
      await createWindow(owner, {
        startsAt: at(0).toISOString(),
        endsAt: at(30).toISOString(),
        blockWrites: false,
        message: 'Printer upgrade',
      }).expect(201);
      const banner = await t.http.get('/ops/maintenance/active').set(auth(waiter)).expect(200);
      expect(banner.body).toMatchObject([{ message: 'Printer upgrade', blockWrites: false }]);
      await write(waiter).expect(201);
    });

    it('lists newest first, paginated, filtered by ?from&to', async () => {
      for (let i = 0; i < 5; i++)
        await createWindow(owner, {
          startsAt: at(i * 60).toISOString(),
          endsAt: at(i * 60 + 30).toISOString(),
          message: `w${i}`,
        }).expect(201);
      const page1 = await t.http.get('/ops/maintenance/list?page=1&pageSize=2').set(auth(manager)).expect(200);
      expect(page1.body).toMatchObject({
        page: 1,
        pageSize: 2,
        total: 5,
        items: [{ message: 'w4' }, { message: 'w3' }],
      });
      const page3 = await t.http.get('/ops/maintenance/list?page=3&pageSize=2').set(auth(manager)).expect(200);
      expect(page3.body).toMatchObject({ items: [{ message: 'w0' }] });
      const ranged = await t.http
        .get(
          `/ops/maintenance/list?from=${encodeURIComponent(at(70).toISOString())}&to=${encodeURIComponent(at(180).toISOString())}`,
        )
        .set(auth(manager))
        .expect(200);
      expect((ranged.body as { items: { message: string }[] }).items.map((w) => w.message)).toEqual(['w2', 'w1']);
      await t.http.get('/ops/maintenance/list?pageSize=1000').set(auth(manager)).expect(400);
      await t.http.get('/ops/maintenance/list?from=yesterday').set(auth(manager)).expect(400);
    });

    it('PATCH changes a window (re-validated) and end cancels a future one', async () => {
      t.setNow(at(0));
      const res = await createWindow(owner, { startsAt: at(10).toISOString(), endsAt: at(20).toISOString() }).expect(
        201,
      );
      const id = (res.body as { id: string }).id;
      await t.http
        .patch(`/ops/maintenance/${id}`)
        .set(auth(owner))
        .send({ endsAt: at(5).toISOString() })
        .expect(400);
      const patched = await t.http
        .patch(`/ops/maintenance/${id}`)
        .set(auth(owner))
        .send({ startsAt: at(0).toISOString(), message: 'Now' })
        .expect(200);
      expect(patched.body).toMatchObject({
        startsAt: at(0).toISOString(),
        endsAt: at(20).toISOString(),
        message: 'Now',
      });
      await write(waiter).expect(503);
      const ended = await t.http.post(`/ops/maintenance/${id}/end`).set(auth(owner)).expect(200);
      expect(ended.body).toMatchObject({ endsAt: at(0).toISOString() });
      await t.http.post(`/ops/maintenance/${id}/end`).set(auth(owner)).expect(200);
      const future = await createWindow(owner, {
        startsAt: at(100).toISOString(),
        endsAt: at(120).toISOString(),
      }).expect(201);
      const cancelled = await t.http
        .post(`/ops/maintenance/${(future.body as { id: string }).id}/end`)
        .set(auth(owner))
        .expect(200);
      expect(cancelled.body).toMatchObject({ startsAt: at(0).toISOString(), endsAt: at(0).toISOString() });
      await t.http.patch('/ops/maintenance/does-not-exist').set(auth(owner)).send({ message: 'x' }).expect(404);
    });
  });
});

describe('the write block switched off (ENABLE_WRITE_BLOCK_MIDDLEWARE=false)', () => {
  it('lets writes through during a window and says so at boot', async () => {
    const t = await startTestApp({ ENABLE_WRITE_BLOCK_MIDDLEWARE: 'false', LOG_LEVEL: 'info' });
    try {
      const owner = await t.login(DEMO.owner);
      await t.http
        .post('/ops/maintenance')
        .set({ Authorization: `Bearer ${owner}` })
        .send({
          startsAt: new Date(Date.now() - MIN).toISOString(),
          endsAt: new Date(Date.now() + 30 * MIN).toISOString(),
        })
        .expect(201);
      await t.http
        .post('/probe/orders')
        .set({ Authorization: `Bearer ${owner}` })
        .expect(201);
      expect(t.logs.messages()).toContain(
        'ENABLE_WRITE_BLOCK_MIDDLEWARE=false: maintenance windows will not block writes',
      );
    } finally {
      await t.close();
    }
  });
});
