import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PASSWORD, DEMO_POS_STAFF, listShippedMigrations } from '@chefcloud/db';
import { createTestDatabase, migrateDeployBefore } from '@chefcloud/db/testing';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const TOKEN = 'metrics-scrape-token-0123456789';
const ALERT_RULES = path.resolve(__dirname, '../../../packages/deploy/prometheus/alerts.yml');

/** The value of one series in an exposition (`chefcloud_x{a="b"}`), undefined when absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info', METRICS_FLAG_KEYS: 'beta-menu', LOGIN_THROTTLE_ACCOUNT_LIMIT: '3' });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.http.get('/metrics').expect(200);
    return res.text;
  };

  it('answers the Prometheus text format at /metrics and /ops/metrics, outside production without a token', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.text).toMatch(/^chefcloud_build_info\{version="0\.1\.0",commit="\w+"\} 1$/m);
    expect(res.text).toMatch(/^chefcloud_process_resident_memory_bytes \d+/m);
    const ops = await t.http.get('/ops/metrics').expect(200);
    expect(ops.text).toContain('# TYPE chefcloud_http_requests_total counter');
  });

  it('is in the OpenAPI document as a text/plain answer behind the metrics bearer scheme', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    };
    for (const p of ['/metrics', '/ops/metrics']) {
      const responses = doc.paths[p]?.get?.responses ?? {};
      expect(Object.keys(responses['200']?.content ?? {})).toEqual(['text/plain']);
      expect(Object.keys(responses['401']?.content ?? {})).toEqual(['application/json']);
      expect(Object.keys(responses['404']?.content ?? {})).toEqual(['application/json']);
    }
    expect(doc.components.securitySchemes.metrics).toMatchObject({ scheme: 'bearer' });
  });

  it('labels HTTP metrics by method, route template and status class, never the raw URL', async () => {
    const owner = await t.login(DEMO.owner);
    await t.http.get('/ops/flags/some-secret-flag-key').set(bearer(owner)).expect(404);
    await t.http.get('/no/such/route/12345').expect(404);
    await t.http.get('/api/health/live').expect(200);
    const text = await scrape();
    expect(value(text, 'chefcloud_http_requests_total{method="GET",route="/ops/flags/:key",status_class="4xx"}')).toBe(
      1,
    );
    expect(value(text, 'chefcloud_http_requests_total{method="GET",route="unmatched",status_class="4xx"}')).toBe(1);
    expect(value(text, 'chefcloud_http_requests_total{method="POST",route="/auth/login",status_class="2xx"}')).toBe(1);
    expect(
      value(
        text,
        'chefcloud_http_request_duration_seconds_count{method="GET",route="/api/health/live",status_class="2xx"}',
      ),
    ).toBe(1);
    expect(text).not.toContain('some-secret-flag-key');
    expect(text).not.toContain('12345');
  });

  it('counts login attempts by method and outcome', async () => {
    const before = await scrape();
    await t.http.post('/auth/login').send({ email: DEMO.waiter, password: DEMO_PASSWORD }).expect(200);
    await t.http.post('/auth/login').send({ email: DEMO.waiter, password: 'wrong-password' }).expect(401);
    await t.http.post('/auth/login').send({ email: 'nobody@nowhere.test', password: 'wrong-password' }).expect(401);
    const after = await scrape();
    const delta = (series: string) => (value(after, series) ?? 0) - (value(before, series) ?? 0);
    expect(delta('chefcloud_login_attempts_total{method="password",outcome="success"}')).toBe(1);
    expect(delta('chefcloud_login_attempts_total{method="password",outcome="invalid"}')).toBe(2);
  });

  it('counts PIN and badge sign-ins by outcome too', async () => {
    const { manager, waiter } = DEMO_POS_STAFF;
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: manager.email } });
    const before = await scrape();
    const pin = { branchId: user.branchId, employeeCode: manager.employeeCode };
    await t.http
      .post('/auth/pin-login')
      .send({ ...pin, pin: manager.pin })
      .expect(200);
    await t.http
      .post('/auth/pin-login')
      .send({ ...pin, pin: '9999' })
      .expect(401);
    await t.http.post('/auth/msr-swipe').send({ badgeId: waiter.badge }).expect(200);
    await t.http.post('/auth/msr-swipe').send({ badgeId: 'NO-SUCH-BADGE-0001' }).expect(401);
    const after = await scrape();
    const delta = (series: string) => (value(after, series) ?? 0) - (value(before, series) ?? 0);
    for (const method of ['pin', 'badge']) {
      expect(delta(`chefcloud_login_attempts_total{method="${method}",outcome="success"}`)).toBe(1);
      expect(delta(`chefcloud_login_attempts_total{method="${method}",outcome="invalid"}`)).toBe(1);
    }
  });

  it('counts throttled logins, and which limit refused them', async () => {
    const before = await scrape();
    const guess = { email: 'guessed-account@nowhere.test', password: 'wrong-password' };
    for (let i = 0; i < 3; i++) await t.http.post('/auth/login').send(guess).expect(401);
    await t.http.post('/auth/login').send(guess).expect(429);
    const after = await scrape();
    const delta = (series: string) => (value(after, series) ?? 0) - (value(before, series) ?? 0);
    expect(delta('chefcloud_login_attempts_total{method="password",outcome="invalid"}')).toBe(3);
    expect(delta('chefcloud_login_attempts_total{method="password",outcome="throttled"}')).toBe(1);
    expect(delta('chefcloud_login_throttle_hits_total{kind="account"}')).toBe(1);
    expect(delta('chefcloud_login_throttle_hits_total{kind="ip_failures"}')).toBe(0);
  });

  it('reports readiness (schema current, nothing pending), the pool and the bcrypt queue', async () => {
    const text = await scrape();
    expect(value(text, 'chefcloud_schema_pending_migrations')).toBe(0);
    expect(value(text, 'chefcloud_schema_state{state="current"}')).toBe(1);
    expect(value(text, 'chefcloud_schema_state{state="behind"}')).toBe(0);
    expect(value(text, 'chefcloud_readiness_ok')).toBe(1);
    expect(value(text, 'chefcloud_database_up')).toBe(1);
    expect(value(text, 'chefcloud_db_pool_total')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'chefcloud_db_pool_idle')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'chefcloud_db_pool_waiting')).toBe(0);
    expect(value(text, 'chefcloud_bcrypt_queue_depth')).toBe(0);
  });

  it('counts flag evaluations by reason, with a key label only for allow-listed keys', async () => {
    const waiter = await t.login(DEMO.waiter);
    await t.http.get('/ops/flags/beta-menu/evaluate').set(bearer(waiter)).expect(200);
    await t.http.get('/ops/flags/someone-elses-flag/evaluate').set(bearer(waiter)).expect(200);
    const text = await scrape();
    expect(value(text, 'chefcloud_flag_evaluations_total{reason="ERROR",flag="beta-menu"}')).toBe(1);
    expect(value(text, 'chefcloud_flag_evaluations_total{reason="ERROR",flag="_other"}')).toBe(1);
    expect(text).not.toContain('someone-elses-flag');
  });

  it('is never blocked by maintenance, and counts the checks and the blocked writes', async () => {
    const owner = await t.login(DEMO.owner);
    const waiter = await t.login(DEMO.waiter);
    await t.http.post('/probe/orders').set(bearer(waiter)).expect(201);
    const now = Date.now();
    await t.http
      .post('/ops/maintenance')
      .set(bearer(owner))
      .send({ startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 600_000).toISOString() })
      .expect(201);
    await t.http.post('/probe/orders').set(bearer(waiter)).expect(503);
    await t.http.post('/probe/orders').set(bearer(owner)).set('X-Maintenance-Bypass', '1').expect(201);
    const text = await scrape();
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="allowed"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="blocked"}')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="bypassed"}')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="fail_open"}')).toBe(0);
    expect(value(text, 'chefcloud_writes_blocked_total{method="POST"}')).toBe(1);
    await t.http.get('/ops/metrics').expect(200);
  });

  it('keeps scrapes out of the request log at info', async () => {
    await scrape();
    await t.http.get('/ops/metrics').expect(200);
    await t.http.get('/api/health/live').expect(200);
    // pino-http's request lines (the ones with a response), not lines logged during a request.
    const urls = t.logs.lines
      .filter((l) => l.res !== undefined)
      .map((l) => (l.req as { url?: string } | undefined)?.url)
      .filter(Boolean);
    expect(urls).toContain('/ops/flags/some-secret-flag-key'); // other requests are logged
    expect(urls.filter((u) => /metrics/.test(String(u)))).toEqual([]);
  });

  it('exports every metric the alert rules read', async () => {
    const text = await scrape();
    const rules = fs.readFileSync(ALERT_RULES, 'utf8');
    const used = [...new Set([...rules.matchAll(/\b(chefcloud_\w+)/g)].map((m) => m[1]))];
    expect(used.length).toBeGreaterThanOrEqual(8);
    for (const name of used) expect(text).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));
  });

  describe('access', () => {
    const others: TestApp[] = [];
    afterAll(async () => {
      for (const app of others) await app.close();
    });
    const start = async (env: NodeJS.ProcessEnv) => {
      const app = await startTestApp(env, { db: t.db, seed: false, probe: false });
      others.push(app);
      return app;
    };

    it('in production without METRICS_TOKEN: 404 on both paths, as for an unknown route', async () => {
      const prod = await start({ NODE_ENV: 'production' });
      for (const p of ['/metrics', '/ops/metrics']) {
        const res = await prod.http.get(p).set(bearer('anything-at-all-really')).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      }
    });

    it('with METRICS_TOKEN: 401 without it or with another, 200 with it (production)', async () => {
      const prod = await start({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN });
      const missing = await prod.http.get('/metrics').expect(401);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(missing.body).toMatchObject({ code: 'UNAUTHORIZED' });
      await prod.http
        .get('/ops/metrics')
        .set(bearer(`${TOKEN}x`))
        .expect(401);
      const ok = await prod.http.get('/ops/metrics').set(bearer(TOKEN)).expect(200);
      expect(ok.text).toContain('chefcloud_build_info');
    });

    it('METRICS_ENABLED=false: 404 on both paths', async () => {
      const off = await start({ METRICS_ENABLED: 'false' });
      await off.http.get('/metrics').expect(404);
      await off.http.get('/ops/metrics').expect(404);
    });
  });
});

describe('metrics on a database missing 20251029222740_change_control (the outage)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'metrics-incident' });
    await migrateDeployBefore(db.url, '20251029222740_change_control');
    t = await startTestApp({}, { db });
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  it('shows the pending migrations and the maintenance check failing open', async () => {
    const shipped = listShippedMigrations();
    const pending = shipped.length - shipped.indexOf('20251029222740_change_control');
    const waiter = await t.login(DEMO.waiter);
    await t.http.post('/probe/orders').set(bearer(waiter)).expect(201);
    await t.http.get('/ops/maintenance/active').set(bearer(waiter)).expect(200);
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(value(text, 'chefcloud_schema_pending_migrations')).toBe(pending);
    expect(value(text, 'chefcloud_schema_state{state="behind"}')).toBe(1);
    expect(value(text, 'chefcloud_readiness_ok')).toBe(0);
    expect(value(text, 'chefcloud_database_up')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_checks_total{outcome="fail_open"}')).toBe(1);
    expect(value(text, 'chefcloud_maintenance_fail_open_total')).toBe(2);
  });

  it('counts requests the missing tables failed as database errors of class schema', async () => {
    const owner = await t.login(DEMO.owner);
    const now = Date.now();
    const res = await t.http
      .post('/ops/maintenance')
      .set(bearer(owner))
      .send({ startsAt: new Date(now).toISOString(), endsAt: new Date(now + 60_000).toISOString() })
      .expect(503);
    expect(res.body).toMatchObject({ code: 'SCHEMA_NOT_MIGRATED' });
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(value(text, 'chefcloud_db_errors_total{class="schema"}')).toBe(1);
    expect(value(text, 'chefcloud_db_errors_total{class="unavailable"}')).toBe(0);
  });
});
