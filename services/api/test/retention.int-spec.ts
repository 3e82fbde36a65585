/**
 * The retention job against real PostgreSQL: what it deletes and keeps, the advisory lock that
 * lets one instance at a time run it, and a soak run showing `sessions` and `login_throttle`
 * stay bounded while logins keep creating rows.
 */
import { Client } from 'pg';
import { RETENTION_LOCK_KEY } from '../src/retention/retention.repository';
import { RetentionService } from '../src/retention/retention.service';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const DAY = 86_400_000;

describe('retention job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info', RETENTION_BATCH_SIZE: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function insertSessions(rows: { id: string; expiresAt: Date; revokedAt?: Date }[]) {
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.waiter } });
    await t.prisma.session.createMany({
      data: rows.map((r) => ({ ...r, userId: user.id, orgId: user.orgId, jti: `jti-${r.id}` })),
    });
  }

  it('deletes sessions that ended more than SESSION_RETENTION_DAYS ago and stale throttle rows, and keeps the rest', async () => {
    const now = Date.now();
    await insertSessions([
      { id: 'expired-31d', expiresAt: new Date(now - 31 * DAY) },
      { id: 'expired-40d', expiresAt: new Date(now - 40 * DAY) },
      { id: 'expired-35d', expiresAt: new Date(now - 35 * DAY) },
      { id: 'expired-29d', expiresAt: new Date(now - 29 * DAY) },
      { id: 'revoked-31d', expiresAt: new Date(now - 29 * DAY), revokedAt: new Date(now - 31 * DAY) },
      { id: 'revoked-1d', expiresAt: new Date(now + DAY), revokedAt: new Date(now - DAY) },
      { id: 'active', expiresAt: new Date(now + DAY) },
    ]);
    await t.prisma.$executeRaw`INSERT INTO login_throttle (key, hits, window_started_at) VALUES
      ('ip:stale', 3, now() - interval '2 hours'), ('account:stale', 1, now() - interval '16 minutes'),
      ('ip:fresh', 1, now()), ('account:fresh', 2, now() - interval '10 minutes')`;

    const run = await t.app.get(RetentionService).runOnce();

    // Batches of RETENTION_BATCH_SIZE=2: three expired sessions take two statements.
    expect(run).toMatchObject({ sessionsDeleted: 4, throttleRowsDeleted: 2 });
    expect(run?.batches).toBeGreaterThanOrEqual(5);
    const sessions = await t.prisma.session.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    expect(sessions.map((s) => s.id)).toEqual(['active', 'expired-29d', 'revoked-1d']);
    const throttle = await t.prisma.loginThrottle.findMany({ select: { key: true }, orderBy: { key: 'asc' } });
    expect(throttle.map((r) => r.key)).toEqual(['account:fresh', 'ip:fresh']);
    const line = t.logs.lines.find((l) => l.msg === 'retention run');
    expect(line).toMatchObject({ sessionsDeleted: 4, throttleRowsDeleted: 2, sessionRetentionDays: 30, batchSize: 2 });
    expect(t.app.get(RetentionService).stats()).toMatchObject({ runs: 1, sessionsDeleted: 4, throttleRowsDeleted: 2 });
  });

  it('runs on one instance at a time: while another connection holds the advisory lock it deletes nothing', async () => {
    await insertSessions([{ id: 'locked-out', expiresAt: new Date(Date.now() - 60 * DAY) }]);
    const other = new Client({ connectionString: t.db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [RETENTION_LOCK_KEY.toString()]);
      const retention = t.app.get(RetentionService);
      expect(await retention.runOnce()).toBeNull();
      expect(retention.stats().skipped).toBe(1);
      expect(await t.prisma.session.count({ where: { id: 'locked-out' } })).toBe(1);
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [RETENTION_LOCK_KEY.toString()]);
      expect(await retention.runOnce()).toMatchObject({ sessionsDeleted: 1 });
      expect(await t.prisma.session.count({ where: { id: 'locked-out' } })).toBe(0);
    } finally {
      await other.end();
    }
  });
});

describe('retention soak: the tables stay bounded while sessions keep being created', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      RETENTION_INTERVAL_MS: '250',
      RETENTION_BATCH_SIZE: '10',
      SESSION_RETENTION_DAYS: '0',
      LOGIN_THROTTLE_IP_WINDOW_SECONDS: '1',
      LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps sessions and login_throttle far below what was created over 8 seconds (12 rounds at least) of logins and logouts', async () => {
    const waiter = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.waiter } });
    const deadline = Date.now() + 8_000;
    // At least 12 iterations however slow the machine (bounded at 60 s), so the rows created
    // outnumber those of any few seconds.
    const hardDeadline = Date.now() + 60_000;
    let created = 0;
    // A login from a new address adds up to 3 throttle keys (the address's failures and attempts,
    // the account), so the throttle table's own count of what was created is kept apart.
    let createdThrottle = 0;
    const samples: { at: number; created: number; createdThrottle: number; sessions: number; throttle: number }[] = [];
    // Bounded in time and in count. Each iteration: one real login from a new address (a new
    // login_throttle row) and its logout (the session is revoked), plus the rows 20 more such
    // logins leave behind on other instances, inserted directly (this shared machine is too slow
    // to log in hundreds of times in a few seconds).
    for (let i = 0; i < 2_000 && (Date.now() < deadline || i < 12) && Date.now() < hardDeadline; i++) {
      const res = await t.http
        .post('/auth/login')
        .set('X-Forwarded-For', `10.0.${i >> 8}.${i & 255}`)
        .send({ email: DEMO.waiter, password: 'ChefCloud-demo-2025' })
        .expect(200);
      await t.http
        .post('/auth/logout')
        .set('Authorization', `Bearer ${(res.body as { access_token: string }).access_token}`)
        .expect(204);
      const now = new Date();
      await t.prisma.session.createMany({
        data: Array.from({ length: 20 }, (_, k) => ({
          userId: waiter.id,
          orgId: waiter.orgId,
          jti: `soak-${i}-${k}`,
          expiresAt: new Date(now.getTime() + 3_600_000),
          revokedAt: now,
        })),
      });
      await t.prisma.$executeRaw`INSERT INTO login_throttle (key, hits, window_started_at)
        SELECT 'ip:soak-' || ${i}::int || '-' || g, 1, now() FROM generate_series(1, 20) g`;
      created += 21;
      createdThrottle += 20 + 3;
      samples.push({
        at: Date.now(),
        created,
        createdThrottle,
        sessions: await t.prisma.session.count(),
        throttle: await t.prisma.loginThrottle.count(),
      });
    }
    // Bounded: at every sample, each table holds at most the rows created in the last 3 s (the
    // job runs every 250 ms; throttle windows last 1 s; sessions are kept 0 days once revoked),
    // whatever the speed of the machine. Without the job they would hold every row ever created.
    const before = (at: number) => [...samples].reverse().find((s) => s.at <= at);
    for (const sample of samples) {
      const earlier = before(sample.at - 3_000);
      expect(sample.sessions).toBeLessThanOrEqual(sample.created - (earlier?.created ?? 0) + 2);
      expect(sample.throttle).toBeLessThanOrEqual(sample.createdThrottle - (earlier?.createdThrottle ?? 0) + 2);
    }
    const maxSessions = Math.max(...samples.map((s) => s.sessions));
    const maxThrottle = Math.max(...samples.map((s) => s.throttle));
    expect(maxSessions).toBeLessThan(created / 2);
    expect(maxThrottle).toBeLessThan(created / 2);
    expect(t.app.get(RetentionService).stats().runs).toBeGreaterThanOrEqual(5);
    expect(t.app.get(RetentionService).stats().sessionsDeleted).toBeGreaterThan(created / 2);
  });
});
