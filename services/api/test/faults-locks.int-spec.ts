/**
 * Faults on ESTABLISHED connections (the API connected and serving, then the database turns
 * bad under it): a row or table lock held past the timeouts, the PostgreSQL processes stopped
 * (SIGSTOP) and resumed, a column the build uses dropped, a table dropped, a privilege revoked.
 * Every request is answered 2xx/4xx/503 with the envelope and Retry-After — never 500, never a
 * hang — readiness names what is wrong, and everything recovers without a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DEMO_PASSWORD, freePort, migrateDeploy, seedDemoData } from '@chefcloud/db';
import { PrismaService } from '../src/database/prisma.service';
import { startPgProcess, type PgProcess } from './support/pg-process';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const figures: Record<string, unknown> = {};
afterAll(() => recordFigures('faults-locks', figures));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hold a lock from another connection for `ms`, then commit. Resolves once the lock is taken. */
async function holdLock(url: string, sql: string, ms: number): Promise<{ released: Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql);
  const released = sleep(ms).then(async () => {
    await client.query('COMMIT');
    await client.end();
  });
  return { released };
}

describe('locks held past the timeouts (real PostgreSQL)', () => {
  let t: TestApp;
  let owner: string;
  const auth = () => ({ Authorization: `Bearer ${owner}` });
  beforeAll(async () => {
    t = await startTestApp({
      LOG_LEVEL: 'warn',
      DATABASE_QUERY_TIMEOUT_MS: '1500',
      SESSION_CACHE_TTL_MS: '60000',
      MAINTENANCE_CACHE_TTL_MS: '0',
      FEATURE_FLAG_CACHE_TTL_MS: '0',
    });
    owner = await t.login(DEMO.owner);
    await t.http.post('/ops/flags').set(auth()).send({ key: 'locked-flag' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a row lock held past the statement timeout is 503 DATABASE_UNAVAILABLE with Retry-After (was 500)', async () => {
    const lock = await holdLock(t.db.url, "SELECT * FROM feature_flags WHERE key = 'locked-flag' FOR UPDATE", 4_000);
    const started = Date.now();
    const res = await t.http.patch('/ops/flags/locked-flag/toggle').set(auth()).send({});
    const ms = Date.now() - started;
    await lock.released;
    figures.rowLockPastTimeout = { status: res.status, code: (res.body as { code: string }).code, answeredMs: ms };
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', requestId: expect.any(String) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(ms).toBeLessThan(3_900);
    // An expected 503 is a warning, not an error: alerts on error-level lines mean bugs.
    const line = t.logs.lines.find((l) => l.requestId === (res.body as { requestId: string }).requestId && l.err);
    expect(line).toMatchObject({ level: 40, msg: expect.stringContaining('answered 503 DATABASE_UNAVAILABLE') });
    expect(t.logs.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    // Nothing half-done: no audit row for the failed toggle, and it works once the lock is gone.
    await t.http.patch('/ops/flags/locked-flag/toggle').set(auth()).send({}).expect(200);
  });

  it('a table lock (ACCESS EXCLUSIVE) on maintenance_windows makes writes and the banner 503, not 500', async () => {
    const lock = await holdLock(t.db.url, 'LOCK TABLE maintenance_windows IN ACCESS EXCLUSIVE MODE', 3_500);
    const [write, banner] = await Promise.all([
      t.http.post('/probe/orders').set(auth()),
      t.http.get('/ops/maintenance/active').set(auth()),
    ]);
    await lock.released;
    figures.tableLock = { write: write.status, banner: banner.status };
    expect([write.status, banner.status]).toEqual([503, 503]);
    expect(write.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await t.http.post('/probe/orders').set(auth()).expect(201);
  });

  it('a deadlock (40P01) aborts one transaction, which is run again once and succeeds', async () => {
    const prisma = t.app.get(PrismaService);
    const [a, b] = (await t.prisma.org.findMany({ orderBy: { slug: 'asc' }, take: 2 })).map((o) => o.id);
    let runs = 0;
    let firstLocks = 0;
    let bothLocked!: () => void;
    const barrier = new Promise<void>((resolve) => (bothLocked = resolve));
    // Each transaction locks one org row, waits until the other holds its row, then asks for
    // the other's: PostgreSQL detects the cycle after deadlock_timeout (1 s) and aborts one.
    const crossing = (first: string, second: string) =>
      prisma.transaction(async (tx) => {
        runs++;
        await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${first} FOR UPDATE`;
        if (++firstLocks === 2) bothLocked();
        await barrier;
        await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${second} FOR UPDATE`;
        return first;
      });
    const results = await Promise.allSettled([crossing(a, b), crossing(b, a)]);
    figures.deadlock = { transactions: 2, runs, outcomes: results.map((r) => r.status) };
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(runs).toBe(3); // the victim ran twice
    expect(t.logs.messages()).toContain('transaction aborted by a deadlock or serialization failure: retrying once');
  });
});

describe('the kill switch under a held row lock (default timeouts)', () => {
  it("succeeds while another client holds the flag's row for 5 s after it started waiting (interactive transactions use our timeouts, not Prisma's 5 s)", async () => {
    const t = await startTestApp({});
    try {
      const owner = await t.login(DEMO.owner);
      await t.http
        .post('/ops/flags')
        .set({ Authorization: `Bearer ${owner}` })
        .send({ key: 'kill-me', active: true })
        .expect(201);
      const holder = new Client({ connectionString: t.db.url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query("SELECT * FROM feature_flags WHERE key = 'kill-me' FOR UPDATE");
      const started = Date.now();
      const pending = Promise.resolve(
        t.http
          .post('/ops/flags/kill-me/kill')
          .set({ Authorization: `Bearer ${owner}` })
          .send({ reason: 'incident' }),
      );
      // Hold the row 5 s from the moment the kill switch's transaction waits on it.
      let waiting = false;
      for (let i = 0; i < 100 && !waiting; i++) {
        const rows = await t.prisma.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
        waiting = rows[0].n > 0;
        if (!waiting) await sleep(50);
      }
      expect(waiting).toBe(true);
      await sleep(5_000);
      await holder.query('COMMIT');
      await holder.end();
      const res = await pending;
      figures.killSwitchUnderLock = { status: res.status, heldAfterWaitMs: 5000, answeredMs: Date.now() - started };
      expect(res.status).toBe(201); // the original clients' answer to a kill
      expect(res.body).toMatchObject({ active: false, rolloutPct: 0 });
    } finally {
      await t.close();
    }
  });
});

describe('the PostgreSQL processes stopped (SIGSTOP) and resumed (SIGCONT) under established connections', () => {
  // Created in beforeAll, not when the file is collected: a run filtered with -t skips this
  // block's afterAll, and a folder made at collection time was left behind.
  let dataDir = '';
  let pg: PgProcess;
  let t: TestApp;
  let pids: number[] = [];
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-sigstop-'));
    fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as another user and must reach its data directory
    pg = await startPgProcess(path.join(dataDir, 'pg'), await freePort());
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE chefcloud');
    await admin.end();
    const url = pg.urlFor('chefcloud');
    await migrateDeploy(url);
    t = await startTestApp(
      {
        DATABASE_QUERY_TIMEOUT_MS: '1500',
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        HEALTH_TIMEOUT_MS: '1000',
        SESSION_CACHE_TTL_MS: '0',
        MAINTENANCE_CACHE_TTL_MS: '0',
      },
      { db: { name: 'chefcloud', url, adminUrl: pg.adminUrl, drop: () => Promise.resolve() }, seed: false },
    );
    await seedDemoData(t.prisma, { bcryptCost: 4, nodeEnv: 'test' });
  });
  afterAll(async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    await t?.close();
    await pg?.stop().catch(() => undefined);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The postmaster (postmaster.pid) and every process it forked: the whole server. */
  const serverPids = (): number[] => {
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = fs
      .readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };

  it('answers 503 within the query timeout while the server is stopped, and recovers after SIGCONT', async () => {
    const token = await t.login(DEMO.owner);
    const auth = { Authorization: `Bearer ${token}` };
    await t.http.get('/ops/maintenance/active').set(auth).expect(200); // connections established
    pids = serverPids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    const answers: { name: string; status: number; code?: string; ms: number }[] = [];
    try {
      for (const [name, send] of [
        ['banner', () => t.http.get('/ops/maintenance/active').set(auth)],
        ['write', () => t.http.post('/probe/orders').set(auth)],
        ['readiness', () => t.http.get('/api/health')],
        ['login', () => t.http.post('/auth/login').send({ email: DEMO.manager, password: 'whatever' })],
      ] as const) {
        const started = Date.now();
        const res = await send();
        answers.push({
          name,
          status: res.status,
          code: (res.body as { code?: string }).code,
          ms: Date.now() - started,
        });
      }
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    figures.sigstop = {
      queryTimeoutMs: 1500,
      ...Object.fromEntries(
        answers.map((a) => [a.name, `${a.status} ${a.code ?? ''} in ${a.ms} ms`.replace('  ', ' ')]),
      ),
    };
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.ms).toBeLessThan(6_000);
    }
    let recovered = false;
    for (let i = 0; i < 100 && !recovered; i++) {
      recovered = (await t.http.get('/ops/maintenance/active').set(auth)).status === 200;
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
    await t.http.get('/api/health').expect(200);
  });
});

describe('schema drift under a running API: a column dropped, a table dropped, a privilege revoked', () => {
  it.each([
    ['sessions', 'last_activity_at'],
    ['users', 'session_version'],
  ])(
    '%s.%s dropped: requests are 503 SCHEMA_NOT_MIGRATED and readiness 503 names the column',
    async (table, column) => {
      const t = await startTestApp({ READINESS_SCHEMA_CHECK_INTERVAL_MS: '0', SESSION_CACHE_TTL_MS: '0' });
      try {
        const token = await t.login(DEMO.owner);
        await t.http.get('/api/health').expect(200);
        await t.prisma.$executeRawUnsafe(`ALTER TABLE ${table} DROP COLUMN ${column}`);
        const me = await t.http.get('/auth/me').set({ Authorization: `Bearer ${token}` });
        const login = await t.http.post('/auth/login').send({ email: DEMO.manager, password: DEMO_PASSWORD });
        const health = await t.http.get('/api/health');
        figures[`dropped:${table}.${column}`] = { me: me.status, login: login.status, readiness: health.status };
        // Routes that do not read the column keep working; those that do are 503, never 500.
        expect([200, 503]).toContain(me.status);
        for (const res of me.status === 200 ? [login] : [me, login]) {
          expect(res.status).toBe(503);
          expect(res.body).toMatchObject({ code: 'SCHEMA_NOT_MIGRATED' });
          expect(res.headers['retry-after']).toBeDefined();
        }
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({
          status: 'unavailable',
          schema: { state: 'behind', missing: [`${table}.${column}`] },
        });
      } finally {
        await t.close();
      }
    },
  );

  it('a table dropped (users): readiness 503 names it', async () => {
    const t = await startTestApp({ READINESS_SCHEMA_CHECK_INTERVAL_MS: '0' }, { seed: false });
    try {
      await t.http.get('/api/health').expect(200);
      await t.prisma.$executeRawUnsafe('DROP TABLE users CASCADE');
      const health = await t.http.get('/api/health').expect(503);
      expect(health.body).toMatchObject({ schema: { state: 'behind', missing: ['users'] } });
      const login = await t.http.post('/auth/login').send({ email: DEMO.manager, password: 'x' });
      expect(login.status).toBe(503);
    } finally {
      await t.close();
    }
  });

  it('a privilege revoked: requests are 503 DATABASE_UNAVAILABLE and readiness 503 names the table and privilege', async () => {
    const t = await startTestApp({}, {});
    const role = `chefcloud_limited_${process.pid}`;
    const admin = t.prisma;
    await admin.$executeRawUnsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-password'`);
    await admin.$executeRawUnsafe(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await admin.$executeRawUnsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    const url = new URL(t.db.url);
    url.username = role;
    url.password = 'limited-password';
    const limited = await startTestApp(
      { READINESS_SCHEMA_CHECK_INTERVAL_MS: '0', SESSION_CACHE_TTL_MS: '0' },
      { db: { ...t.db, url: url.toString(), drop: () => Promise.resolve() }, seed: false },
    );
    try {
      const token = await limited.login(DEMO.owner);
      await limited.http.get('/api/health').expect(200);
      await admin.$executeRawUnsafe(`REVOKE SELECT ON users FROM ${role}`);
      const me = await limited.http.get('/auth/me').set({ Authorization: `Bearer ${token}` });
      const login = await limited.http.post('/auth/login').send({ email: DEMO.manager, password: 'x' });
      const health = await limited.http.get('/api/health');
      figures.privilegeRevoked = { me: me.status, login: login.status, readiness: health.status };
      for (const res of [me, login]) {
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      }
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', schema: { denied: ['users: SELECT'] } });
      expect((health.body as { error: string }).error).toContain('users');
    } finally {
      await limited.app.close();
      await admin.$executeRawUnsafe(`DROP OWNED BY ${role}`);
      await admin.$executeRawUnsafe(`DROP ROLE ${role}`);
      await t.close();
    }
  });
});
