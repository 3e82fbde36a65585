/**
 * Login under a password spray (the built API in its own process, production mode): 200
 * concurrent logins from 200 addresses, each under the per-IP limit. Hashing is bounded (one
 * comparison per core, admission and a queue with a deadline, LOGIN_HASH_QUEUE_WAIT_MS = 2 s),
 * so the excess is answered 503 + Retry-After at once, a legitimate login made during the spray
 * gets an answer (200, 401 or 503) within the deadline plus a few logins' work — 3 s at
 * production cost on an idle 2-core instance — and liveness p99 stays under 50 ms.
 *
 * The spray comes from a process of its own at the lowest CPU priority (an attacker's machine:
 * its CPU is not the API's), all 200 at once, as a real burst arrives: the API reads it in one
 * turn of its event loop (test/support/login-sprayer.ts). Liveness is timed by another process
 * every 10 ms (as Render's health checker is, from outside).
 *
 * The bounds are relative to a baseline measured in the same run (one login's time, liveness
 * before the spray), never under the issue's figures, so that a loaded CI machine does not fail
 * them while a queue that grows with the spray (the bug: 34 s) or an edge that pays the whole
 * app's pipeline per shed login (p99 100–650 ms here) does. The absolute figures are recorded.
 */
import { createPrismaClient, DEMO_PASSWORD, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { startApiProcess, type ApiProcess } from './support/api-process';
import { startLivenessProber } from './support/liveness-prober';
import { startLoginSpray } from './support/login-sprayer';
import { recordFigures } from './support/reliability';

const SPRAY = 200;
const METRICS_TOKEN = 'shedding-metrics-token-0123456789';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('login shedding under a spray (built API, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'shed' });
    const prisma = createPrismaClient({ url: db.url });
    await seedDemoData(prisma, { bcryptCost: 10, nodeEnv: 'test' });
    await prisma.$disconnect();
    api = await startApiProcess({
      DATABASE_URL: db.url,
      BCRYPT_COST: '10',
      LOG_LEVEL: 'error',
      METRICS_TOKEN,
    });
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  /** The API's event-loop delay (ms) since the last scrape: prom-client's max and p99 gauges. */
  const eventLoopLag = async (): Promise<{ max: number; p99: number }> => {
    const text = await (
      await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const gauge = (name: string) =>
      Math.round(
        Number(new RegExp(`^chefcloud_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1]) * 1000,
      );
    return { max: gauge('max'), p99: gauge('p99') };
  };

  const login = (ip: string, email: string, password: string) =>
    fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });

  it(`${SPRAY} concurrent logins from ${SPRAY} addresses: the excess is 503 + Retry-After at once, a real login is answered within 3 s, liveness never stalls`, async () => {
    // Warm up (the dummy hash, the database pool, the code paths), then the baseline.
    const statuses = [(await login('192.0.2.250', 'warmup@nowhere.test', 'x')).status];
    const loginTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const status = (await login(`192.0.2.${i + 1}`, 'manager@demo-bistro.test', 'wrong')).status;
      expect(status).toBe(401);
      statuses.push(status);
      loginTimes.push(Date.now() - t0);
    }
    const loginMs = percentile(loginTimes, 50);
    const idleLiveness: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await fetch(`${api.url}/api/health/live`);
      idleLiveness.push(performance.now() - t0);
    }
    const idleLivenessP99 = percentile(idleLiveness, 99);
    // The API's own event-loop delay over the spray (prom-client's gauges are reset at each scrape).
    await eventLoopLag();
    const prober = await startLivenessProber(`${api.url}/api/health/live`, 10);
    const sprayAt = Date.now();
    const spray = await startLoginSpray(
      `${api.url}/auth/login`,
      Array.from({ length: SPRAY }, (_, i) => ({
        ip: `10.${Math.floor(i / 250)}.${i % 250}.${(i % 7) + 1}`,
        email: `spray-${i}@nowhere.test`,
        password: `guess-${i}`,
      })),
    );
    await new Promise((r) => setTimeout(r, 300));
    const realStarted = Date.now();
    const real = await login('198.51.100.77', 'owner@demo-bistro.test', DEMO_PASSWORD);
    const realMs = Date.now() - realStarted;
    const results = await spray.answers;
    const probes = await prober.stop();
    const lag = await eventLoopLag();
    const liveness = probes.ms;
    expect(probes.statuses.every((status) => status === 200)).toBe(true);

    const shed = results.filter((r) => r.status === 503);
    const byStatus = results.reduce<Record<number, number>>(
      (m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }),
      {},
    );
    const figures = {
      spray: SPRAY,
      baselineLoginMs: loginMs,
      baselineLivenessP99Ms: Math.round(idleLivenessP99 * 10) / 10,
      byStatus,
      shedAnsweredWithinMsP95: shed.length
        ? Math.round(
            percentile(
              shed.map((r) => r.ms),
              95,
            ),
          )
        : null,
      legitimateLogin: { status: real.status, ms: realMs },
      livenessProbes: liveness.length,
      livenessP99Ms: Math.round(percentile(liveness, 99) * 10) / 10,
      // The slowest probe, and when it started (ms after the spray was launched: the sender's
      // own start takes a few hundred ms).
      livenessMax: {
        ms: Math.round(Math.max(...liveness) * 10) / 10,
        atMs: probes.at[liveness.indexOf(Math.max(...liveness))] - sprayAt,
      },
      apiEventLoopLagMs: lag,
      sprayTotalMs: Math.max(...results.map((r) => r.ms)),
    };
    recordFigures('login-shedding', figures);

    expect(results.every((r) => [401, 503].includes(r.status))).toBe(true);
    // The excess is shed (503 + Retry-After); most by admission (LOGIN_BUSY) before any database work.
    expect(shed.filter((r) => r.code === 'LOGIN_BUSY').length).toBeGreaterThan(SPRAY / 2);
    for (const r of shed) expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    // Only what hashing can take in time is checked (2 slots × 2 s deadline / one login's time, with slack).
    expect(results.filter((r) => r.status === 401).length).toBeLessThan(SPRAY / 2);
    expect([200, 401, 503]).toContain(real.status);
    expect(realMs).toBeLessThan(Math.max(3_000, 2_000 + 4 * loginMs));
    // Liveness never waits behind hashing (bcrypt runs off the event loop, one per core, below
    // the loop's priority), nor behind the burst: the excess is answered at the socket edge
    // before Express, and the admitted logins reach the app one per turn of the event loop
    // (auth/passwords/login-edge.listener.ts). The target, p99 < 50 ms, on an idle
    // machine; on a loaded one (CI's), 5 × this run's idle p99.
    expect(percentile(liveness, 99)).toBeLessThan(Math.max(50, 5 * idleLivenessP99));

    // Every answer is counted in chefcloud_login_attempts_total by outcome: 401 invalid, LOGIN_BUSY
    // shed (another 503, a database timeout under this load, is a database error, not a login
    // outcome); the queue is empty again.
    const realCode = real.status === 503 ? ((await real.json()) as { code?: string }).code : undefined;
    statuses.push(...results.map((r) => r.status), real.status);
    const busy = results.filter((r) => r.code === 'LOGIN_BUSY').length + (realCode === 'LOGIN_BUSY' ? 1 : 0);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    const metrics = await (
      await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const series = (outcome: string) =>
      Number(
        new RegExp(`^chefcloud_login_attempts_total\\{method="password",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(
          metrics,
        )?.[1],
      );
    expect({ success: series('success'), invalid: series('invalid'), shed: series('shed') }).toEqual({
      success: count(200),
      invalid: count(401),
      shed: busy,
    });
    expect(series('shed')).toBeGreaterThan(SPRAY / 2);
    expect(metrics).toMatch(/^chefcloud_bcrypt_queue_depth 0$/m);
  });
});
