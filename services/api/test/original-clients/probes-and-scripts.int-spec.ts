import { DEMO_PASSWORD } from '@chefcloud/db';
import { createTestDatabase, migrateDeployBefore } from '@chefcloud/db/testing';
import { DEMO, startTestApp, type TestApp } from '../support/test-app';
import { webClient, webLogin } from './clients';

/**
 * The original's CI smoke test (`tools/smoke_runtime.sh`, `curl -f`), production preflight,
 * deploy files (`/health`), verify-deployment.sh and k6 scenarios (`/ops/health`, `/ops/ready`),
 * against the real API on PostgreSQL (../shared/reference/original-clients.md, section 7).
 */
describe('original probes and scripts (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { seed: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /healthz and GET /health: 200 {status:"ok"} without a token', async () => {
    for (const path of ['/healthz', '/health']) {
      const res = await t.http.get(path).expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    }
  });

  it('GET /readiness: 200 (curl -f passes) with ok and details', async () => {
    const res = await t.http.get('/readiness').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      ok: true,
      details: { db: 'ok', schema: 'ok', redis: 'skipped', env: 'ok' },
    });
  });

  it('GET /ops/health and /ops/ready: 200 in the original shapes (k6 expects 200)', async () => {
    const health = await t.http.get('/ops/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'healthy',
      timestamp: expect.any(String),
      checks: { database: { status: 'up' }, redis: { status: 'unknown' }, queue: { status: 'unknown' } },
    });
    const ready = await t.http.get('/ops/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      timestamp: expect.any(String),
      checks: { database: { status: 'ready', responseMs: expect.any(Number) } },
    });
  });

  it('GET /api/health: verify-deployment.sh needs status "ok"', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('production-preflight.mjs: GET /auth/me without a token is 401 (the original had no /auth/me and answered 404)', async () => {
    const res = await t.http.get('/auth/me').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
  });

  it('the aliases are deprecated in OpenAPI', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { deprecated?: boolean }>>;
    };
    for (const path of ['/healthz', '/health', '/readiness', '/ops/health', '/ops/ready', '/ops/maintenance/list'])
      expect({ path, deprecated: doc.paths[path]?.get?.deprecated }).toEqual({ path, deprecated: true });
    expect(doc.paths['/me']?.get?.deprecated).toBeUndefined();
  });
});

describe('original probes on a database one migration behind (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const db = await createTestDatabase({ empty: true, prefix: 'behind' });
    await migrateDeployBefore(db.url, '20261126120000_original_clients');
    t = await startTestApp({ LOG_LEVEL: 'info' }, { db });
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  it('readiness fails (503, not_ready, unhealthy) while liveness stays 200', async () => {
    const health = await t.http.get('/api/health').expect(503);
    expect(health.body).toMatchObject({ status: 'unavailable', services: { database: 'ok' } });
    const readiness = await t.http.get('/readiness').expect(503);
    expect(readiness.body).toMatchObject({ status: 'degraded', ok: false });
    expect(readiness.body.details.schema).toContain('20261126120000_original_clients');
    expect((await t.http.get('/ops/ready').expect(200)).body.status).toBe('not_ready');
    expect((await t.http.get('/ops/health').expect(200)).body).toMatchObject({
      status: 'unhealthy',
      checks: { database: { status: 'down' } },
    });
    await t.http.get('/healthz').expect(200);
    await t.http.get('/health').expect(200);
  });

  it('the web can still sign in (jobRole null, logged once) — never a 500', async () => {
    const { access_token, user } = await webLogin(t, DEMO.owner, DEMO_PASSWORD);
    expect(user).toMatchObject({ email: DEMO.owner, jobRole: null });
    await webLogin(t, DEMO.manager, DEMO_PASSWORD);
    await webClient(t, access_token).get('/auth/me').expect(200);
    const warnings = t.logs.lines.filter((l) => String(l.msg).startsWith('users.job_role does not exist'));
    expect(warnings).toHaveLength(1);
  });
});
