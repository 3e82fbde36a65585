/**
 * More than one instance: two API processes (the built dist/main.js, production mode) on one
 * database. Maintenance windows, kill switches, session revocations and login throttling made
 * through one are honoured by the other within the cache interval; concurrent db:deploy runs
 * are safe.
 */
import { createPrismaClient, DEMO_PASSWORD, listShippedMigrations, migrateDeploy, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { recordFigures } from './support/reliability';

const CACHE_MS = 1_000;

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two API instances on one database', () => {
  let db: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  const figures: Record<string, unknown> = { cacheIntervalMs: CACHE_MS };

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'multi' });
    const prisma = createPrismaClient({ url: db.url });
    await seedDemoData(prisma, { bcryptCost: 4, nodeEnv: 'test' });
    await prisma.$disconnect();
    const env = {
      DATABASE_URL: db.url,
      JWT_SECRET: 'shared-secret-of-both-instances-'.padEnd(48, 's'),
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      MAINTENANCE_CACHE_TTL_MS: String(CACHE_MS),
      FEATURE_FLAG_CACHE_TTL_MS: String(CACHE_MS),
      SESSION_CACHE_TTL_MS: String(CACHE_MS),
      LOGIN_THROTTLE_IP_LIMIT: '1000',
      LOGIN_THROTTLE_ACCOUNT_LIMIT: '4',
    };
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
  });
  afterAll(async () => {
    recordFigures('multi-instance', figures);
    await Promise.all([a?.stop(), b?.stop()]);
    await db.drop();
  });

  const call = async (api: ApiProcess, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const login = async (api: ApiProcess, email: string, password = DEMO_PASSWORD) =>
    call(api, 'POST', '/auth/login', undefined, { email, password });
  const tokenOf = async (api: ApiProcess, email: string) => (await login(api, email)).body?.access_token as string;

  it('a maintenance window created through one instance blocks writes on the other within the cache interval', async () => {
    const ownerA = await tokenOf(a, 'owner@demo-bistro.test');
    const ownerB = await tokenOf(b, 'owner@demo-bistro.test');
    expect((await call(b, 'POST', '/ops/flags', ownerB, { key: 'multi-write' })).status).toBe(201);
    // B has cached "no window" for this org just now.
    expect((await call(b, 'PATCH', '/ops/flags/multi-write/toggle', ownerB, {})).status).toBe(200);
    const window = await call(a, 'POST', '/ops/maintenance', ownerA, {
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(window.status).toBe(201);
    // The lag counts from the moment the window exists (the create is a small transaction under
    // the open-window cap's lock: on a loaded machine it alone took longer than the interval).
    const created = Date.now();
    expect((await call(a, 'PATCH', '/ops/flags/multi-write/toggle', ownerA, {})).status).toBe(503);
    const seen = await until(
      () => call(b, 'PATCH', '/ops/flags/multi-write/toggle', ownerB, {}),
      (r) => r.status === 503,
    );
    const lag = Date.now() - created;
    figures.maintenanceWindowSeenByOtherInstanceMs = lag;
    expect(seen.value.body).toMatchObject({ code: 'MAINTENANCE' });
    expect(lag).toBeLessThanOrEqual(CACHE_MS + 1_000);
    // Ended through B, writes resume on A within the interval too.
    expect((await call(b, 'POST', `/ops/maintenance/${String(window.body?.id)}/end`, ownerB)).status).toBe(200);
    const resumed = await until(
      () => call(a, 'PATCH', '/ops/flags/multi-write/toggle', ownerA, {}),
      (r) => r.status === 200,
    );
    figures.windowEndSeenByOtherInstanceMs = resumed.ms;
    expect(resumed.ms).toBeLessThanOrEqual(CACHE_MS + 1_000);
  });

  it('a kill switch pulled through one instance is seen by the other within the cache interval', async () => {
    const ownerA = await tokenOf(a, 'owner@demo-bistro.test');
    const waiterB = await tokenOf(b, 'waiter@demo-bistro.test');
    expect((await call(a, 'POST', '/ops/flags', ownerA, { key: 'multi-kill', active: true })).status).toBe(201);
    await until(
      () => call(b, 'GET', '/ops/flags/multi-kill/evaluate', waiterB),
      (r) => r.body?.enabled === true,
    );
    const killedAt = Date.now();
    expect((await call(a, 'POST', '/ops/flags/multi-kill/kill', ownerA, { reason: 'incident' })).status).toBe(201);
    const off = await until(
      () => call(b, 'GET', '/ops/flags/multi-kill/evaluate', waiterB),
      (r) => r.body?.enabled === false,
    );
    figures.killSwitchSeenByOtherInstanceMs = Date.now() - killedAt;
    expect(off.value.body).toMatchObject({ reason: 'DISABLED' });
    expect(Date.now() - killedAt).toBeLessThanOrEqual(CACHE_MS + 1_000);
  });

  it('a logout through one instance ends the session on the other within the cache interval', async () => {
    const token = await tokenOf(a, 'manager@demo-bistro.test');
    expect((await call(b, 'GET', '/auth/me', token)).status).toBe(200);
    const at = Date.now();
    expect((await call(a, 'POST', '/auth/logout', token)).status).toBe(204);
    expect((await call(a, 'GET', '/auth/me', token)).status).toBe(401);
    await until(
      () => call(b, 'GET', '/auth/me', token),
      (r) => r.status === 401,
    );
    figures.logoutSeenByOtherInstanceMs = Date.now() - at;
    expect(Date.now() - at).toBeLessThanOrEqual(CACHE_MS + 1_000);
  });

  it('login throttling per account holds across both instances (counters in PostgreSQL)', async () => {
    const email = 'owner@other-org.test';
    const attempts = [a, b, a, b];
    for (const api of attempts) expect((await login(api, email, 'wrong')).status).toBe(401);
    const onA = await login(a, email);
    const onB = await login(b, email);
    figures.accountLimit = 4;
    figures.failuresSpreadOverInstances = attempts.length;
    figures.refusedOnBothAfterLimit = onA.status === 429 && onB.status === 429;
    expect(onA.status).toBe(429);
    expect(onB.status).toBe(429);
  });

  it('two concurrent db:deploy runs on an empty database apply each migration exactly once', async () => {
    const empty = await createTestDatabase({ empty: true, prefix: 'multideploy' });
    try {
      const started = Date.now();
      const results = await Promise.allSettled([migrateDeploy(empty.url), migrateDeploy(empty.url)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const prisma = createPrismaClient({ url: empty.url });
      const rows = await prisma.$queryRaw<
        { migration_name: string }[]
      >`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
      await prisma.$disconnect();
      expect(rows.map((r) => r.migration_name)).toEqual(listShippedMigrations());
      figures.concurrentDeploys = {
        runs: 2,
        migrationsAppliedOnce: rows.length,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      };
    } finally {
      await empty.drop();
    }
  });
});
