import bcrypt from 'bcrypt';
import { DEMO_PASSWORD, type RoleLevel } from '@chefcloud/db';
import type { Test } from 'supertest';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

type Level = RoleLevel;
const LEVELS: Level[] = ['L1', 'L2', 'L3', 'L4', 'L5'];
const DAY = 86_400_000;

interface Route {
  method: 'get' | 'post' | 'patch';
  path: string;
  minimum: Level;
  body?: (n: number) => Record<string, unknown>;
}

/** Every /ops route with the lowest role level that may call it: the one table the matrix is generated from. */
const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/ops/maintenance',
    minimum: 'L5',
    body: (n) => ({
      startsAt: new Date(Date.now() + DAY * (n + 1)).toISOString(),
      endsAt: new Date(Date.now() + DAY * (n + 1) + 60_000).toISOString(),
    }),
  },
  { method: 'get', path: '/ops/maintenance/active', minimum: 'L1' },
  { method: 'get', path: '/ops/maintenance', minimum: 'L4' },
  { method: 'get', path: '/ops/maintenance/list', minimum: 'L4' },
  { method: 'patch', path: '/ops/maintenance/{id}', minimum: 'L5', body: () => ({ message: 'changed' }) },
  { method: 'post', path: '/ops/maintenance/{id}/end', minimum: 'L5' },
  { method: 'post', path: '/ops/flags', minimum: 'L5', body: (n) => ({ key: `matrix-${n}` }) },
  { method: 'get', path: '/ops/flags', minimum: 'L4' },
  { method: 'get', path: '/ops/flags/{key}', minimum: 'L4' },
  { method: 'patch', path: '/ops/flags/{key}', minimum: 'L5', body: (n) => ({ rolloutPct: n % 101 }) },
  { method: 'patch', path: '/ops/flags/{key}/toggle', minimum: 'L5', body: () => ({}) },
  { method: 'post', path: '/ops/flags/{key}/kill', minimum: 'L5', body: () => ({}) },
  { method: 'get', path: '/ops/flags/{key}/audit', minimum: 'L4' },
  { method: 'get', path: '/ops/flags/{key}/evaluate', minimum: 'L1' },
];

/** The original ChefCloud's probes under /ops (compat module): public, like every health probe. */
const PUBLIC_OPS_PROBES = ['/ops/health', '/ops/ready'];

describe('RBAC matrix: every /ops route × every role level (real PostgreSQL)', () => {
  let t: TestApp;
  const tokens = {} as Record<Level, string>;
  let windowId: string;
  let counter = 0;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
    const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 4);
    for (const level of ['L2', 'L3'] as const) {
      await t.prisma.user.create({
        data: {
          orgId: org.id,
          email: `${level.toLowerCase()}@demo-bistro.test`,
          firstName: level,
          lastName: 'User',
          roleLevel: level,
          passwordHash,
        },
      });
    }
    tokens.L1 = await t.login(DEMO.waiter);
    tokens.L2 = await t.login('l2@demo-bistro.test');
    tokens.L3 = await t.login('l3@demo-bistro.test');
    tokens.L4 = await t.login(DEMO.manager);
    tokens.L5 = await t.login(DEMO.owner);
    const created = await t.http
      .post('/ops/maintenance')
      .set('Authorization', `Bearer ${tokens.L5}`)
      .send(ROUTES[0].body!(1000))
      .expect(201);
    windowId = (created.body as { id: string }).id;
    await t.http
      .post('/ops/flags')
      .set('Authorization', `Bearer ${tokens.L5}`)
      .send({ key: 'matrix-flag' })
      .expect(201);
  });
  afterAll(async () => {
    recordFigures('rbac-matrix', {
      routes: ROUTES.length,
      levels: LEVELS.length,
      cases: ROUTES.length * LEVELS.length,
      unauthenticatedCases: ROUTES.length,
    });
    await t.close();
  });

  it('the table lists exactly the /ops routes the API documents (role-guarded: all but the metrics scrape)', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
    };
    // GET /ops/metrics is for Prometheus: its credential is METRICS_TOKEN (the `metrics` bearer
    // scheme), not a user's role; test/metrics.int-spec.ts covers its access rules.
    const scrape = (op: { security?: Record<string, unknown>[] }) => op.security?.some((s) => 'metrics' in s) ?? false;
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/ops') && !PUBLIC_OPS_PROBES.includes(path))
      .flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, op]) => !scrape(op))
          .map(([m]) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(Object.entries(doc.paths['/ops/metrics'] ?? {}).filter(([, op]) => scrape(op))).toHaveLength(1);
    expect(documented).toEqual(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
  });

  for (const route of ROUTES) {
    for (const level of LEVELS) {
      const allowed = LEVELS.indexOf(level) >= LEVELS.indexOf(route.minimum);
      it(`${route.method.toUpperCase()} ${route.path} as ${level} → ${allowed ? '2xx' : '403'}`, async () => {
        const path = route.path.replace('{id}', windowId).replace('{key}', 'matrix-flag');
        let req: Test = t.http[route.method](path).set('Authorization', `Bearer ${tokens[level]}`);
        if (route.body) req = req.send(route.body(++counter));
        const res = await req;
        if (allowed) {
          expect({ ok: res.status >= 200 && res.status < 300, body: res.status >= 300 ? res.body : undefined }).toEqual(
            { ok: true, body: undefined },
          );
        } else {
          expect(res.status).toBe(403);
          expect(res.body).toMatchObject({
            statusCode: 403,
            code: 'INSUFFICIENT_ROLE',
            details: { required: route.minimum, actual: level },
          });
        }
      });
    }
  }

  it('the original probes /ops/health and /ops/ready are the only public /ops routes (GET, no token)', async () => {
    for (const path of PUBLIC_OPS_PROBES) await t.http.get(path).expect(200);
  });

  it('without a token every /ops route is 401', async () => {
    for (const route of ROUTES) {
      const res = await t.http[route.method](route.path.replace('{id}', windowId).replace('{key}', 'matrix-flag'));
      expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 401 });
    }
  });
});
