import request from 'supertest';
import { DEMO_PASSWORD } from '@chefcloud/db';
import { DEMO, startTestApp, type TestApp } from '../support/test-app';
import { jwtPayload, webClient, webLandingRoute, webLogin } from './clients';

/**
 * The original web backoffice (Next.js), played against the real API on PostgreSQL: login,
 * the session restored on every page load (GET /me), the branch switcher (GET /branches),
 * logout, the health page and CORS. Each test checks exactly the fields the web reads
 * (../shared/reference/original-clients.md, sections 1–4, 6, 7).
 */
describe('original web backoffice (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /auth/login {email, password}', () => {
    it('answers access_token and the user fields the web reads, with the org id in the JWT', async () => {
      const body = await webLogin(t, DEMO.owner, DEMO_PASSWORD);
      const row = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.owner } });
      expect(body.access_token).toEqual(expect.any(String));
      expect(body.user).toMatchObject({
        id: row.id,
        email: DEMO.owner,
        firstName: 'Olivia',
        lastName: 'Owner',
        roleLevel: 'L5',
        jobRole: 'OWNER',
        orgId: row.orgId,
        branchId: row.branchId,
      });
      // The web sends x-org-id from the token payload's orgId.
      expect(jwtPayload(body.access_token).orgId).toBe(row.orgId);
    });

    it.each([
      [DEMO.owner, 'OWNER', '/dashboard'],
      [DEMO.manager, 'MANAGER', '/dashboard'],
      [DEMO.waiter, 'WAITER', '/pos'],
      [DEMO.otherOwner, 'OWNER', '/dashboard'],
    ])('gives %s the job role %s, so the web lands on %s', async (email, jobRole, route) => {
      const { user } = await webLogin(t, email, DEMO_PASSWORD);
      expect(user.jobRole).toBe(jobRole);
      expect(webLandingRoute(user.jobRole)).toBe(route);
    });

    it('answers 401 with a message the login page shows for a wrong password', async () => {
      const res = await webClient(t).post('/auth/login', { email: DEMO.owner, password: 'wrong-password' });
      expect(res.status).toBe(401);
      expect(res.body.message).toEqual(expect.any(String));
    });
  });

  describe('GET /me (every full page load)', () => {
    it('restores the user with org and branch names, exactly the fields the AuthContext reads', async () => {
      const { access_token } = await webLogin(t, DEMO.manager, DEMO_PASSWORD);
      const res = await webClient(t, access_token).get('/me').expect(200);
      const row = await t.prisma.user.findUniqueOrThrow({
        where: { email: DEMO.manager },
        include: { org: true, branch: true },
      });
      const me = res.body as Record<string, unknown> & {
        org: Record<string, unknown>;
        branch: Record<string, unknown>;
      };
      expect({
        id: me.id,
        email: me.email,
        firstName: me.firstName,
        lastName: me.lastName,
        roleLevel: me.roleLevel,
        jobRole: me.jobRole,
        orgId: me['org'].id,
        orgName: me['org'].name,
        branchId: me['branch'].id,
        branchName: me['branch'].name,
      }).toEqual({
        id: row.id,
        email: DEMO.manager,
        firstName: 'Marco',
        lastName: 'Manager',
        roleLevel: 'L4',
        jobRole: 'MANAGER',
        orgId: row.orgId,
        orgName: 'Demo Bistro',
        branchId: row.branchId,
        branchName: 'Demo Bistro Downtown',
      });
      // The rest of the original's shape (read by its API e2e suites).
      expect(me).toMatchObject({
        orgId: row.orgId,
        branchId: row.branchId,
        isActive: true,
        org: { slug: 'demo-bistro' },
        branch: { timezone: 'UTC' },
        employeeProfile: { employeeCode: 'DB-MGR001', badgeId: null, badgeEnrolled: true, pinSet: true },
      });
      expect(Object.keys(me)).toEqual(expect.arrayContaining(['jobRole', 'branchId', 'employeeProfile']));
    });

    it('has jobRole null (key present), branch null and employeeProfile null for a user without them', async () => {
      const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.otherOwner } });
      await t.prisma.user.update({ where: { id: owner.id }, data: { jobRole: null, branchId: null } });
      try {
        const { access_token, user } = await webLogin(t, DEMO.otherOwner, DEMO_PASSWORD);
        expect(user.jobRole).toBeNull();
        expect(webLandingRoute(user.jobRole)).toBe('/dashboard');
        const me = await webClient(t, access_token).get('/me').expect(200);
        expect(me.body).toMatchObject({ jobRole: null, branchId: null, branch: null, employeeProfile: null });
        expect(me.body.org).toMatchObject({ id: owner.orgId, name: 'Other Org' });
      } finally {
        await t.prisma.user.update({ where: { id: owner.id }, data: { jobRole: 'OWNER', branchId: owner.branchId } });
      }
    });

    it('401 without a token, with a bad token, and after logout (the web then goes to /login)', async () => {
      await webClient(t).get('/me').expect(401);
      await t.http.get('/me').set('Authorization', 'Bearer not-a-token').expect(401);
      const { access_token } = await webLogin(t, DEMO.waiter, DEMO_PASSWORD);
      await webClient(t, access_token).get('/me').expect(200);
      // The web's logout: bearer, JSON content type, no body; it ignores the answer.
      const out = await webClient(t, access_token).post('/auth/logout');
      expect(out.status).toBeGreaterThanOrEqual(200);
      expect(out.status).toBeLessThan(300);
      const after = await webClient(t, access_token).get('/me');
      expect(after.status).toBe(401);
      expect(after.body.message).toEqual(expect.any(String));
    });

    it('GET /auth/me stays, with the user and the session', async () => {
      const { access_token } = await webLogin(t, DEMO.owner, DEMO_PASSWORD);
      const res = await webClient(t, access_token).get('/auth/me').expect(200);
      expect(res.body).toMatchObject({
        user: { email: DEMO.owner, jobRole: 'OWNER' },
        session: { id: expect.any(String) },
      });
    });
  });

  describe('GET /branches (branch switcher)', () => {
    it("answers a bare array of the caller's org's branches {id, name, timezone} by name, whatever x-org-id says", async () => {
      const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
      const other = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'other-org' } });
      await t.prisma.branch.createMany({
        data: [
          { orgId: org.id, name: 'Airport Kiosk', timezone: 'Africa/Kampala' },
          { orgId: org.id, name: 'Zoo Cafe', timezone: 'Africa/Nairobi' },
        ],
      });
      const { access_token } = await webLogin(t, DEMO.waiter, DEMO_PASSWORD);
      const res = await webClient(t, access_token).get('/branches').set('x-org-id', other.id).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      const branches = res.body as { id: string; name: string; timezone: string }[];
      expect(branches.map((b) => [b.name, b.timezone])).toEqual([
        ['Airport Kiosk', 'Africa/Kampala'],
        ['Demo Bistro Downtown', 'UTC'],
        ['Zoo Cafe', 'Africa/Nairobi'],
      ]);
      const rows = await t.prisma.branch.findMany({ where: { orgId: org.id } });
      for (const b of branches) expect(rows.map((r) => r.id)).toContain(b.id);
      // isMultiBranch = length > 1; the user's own branch is in the list.
      const me = await webClient(t, access_token).get('/me').expect(200);
      expect(branches.map((b) => b.id)).toContain(me.body.branch.id);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers.link).toContain('rel="last"');
    });

    it('pages with page and pageSize, totals in X-Total-Count and a GitHub-style Link header', async () => {
      const { access_token } = await webLogin(t, DEMO.owner, DEMO_PASSWORD);
      const res = await webClient(t, access_token).get('/branches?page=2&pageSize=1').expect(200);
      expect(res.body.map((b: { name: string }) => b.name)).toEqual(['Demo Bistro Downtown']);
      expect(res.headers['x-total-count']).toBe('3');
      const links = Object.fromEntries(
        String(res.headers.link)
          .split(', ')
          .map((l) => {
            const m = /^<([^>]+)>; rel="(\w+)"$/.exec(l);
            return [m?.[2], new URL(m?.[1] ?? '').search];
          }),
      );
      expect(links).toEqual({
        first: '?page=1&pageSize=1',
        prev: '?page=1&pageSize=1',
        next: '?page=3&pageSize=1',
        last: '?page=3&pageSize=1',
      });
    });

    it('401 without a token', async () => {
      await webClient(t).get('/branches').expect(401);
    });
  });

  describe('GET /api/health (health page, verify-deployment.sh)', () => {
    it('answers status "ok", uptime in seconds, timestamp and services.database beside our fields', async () => {
      const res = await t.http.get('/api/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        timestamp: expect.any(String),
        uptime: expect.any(Number),
        version: expect.any(String),
        services: { database: 'ok' },
        db: 'up',
        schema: { state: 'current' },
      });
      expect(new Date(res.body.timestamp as string).toISOString()).toBe(res.body.timestamp);
      expect(res.body.uptime).toBeGreaterThan(0);
    });

    it('is never throttled: 150 requests, all 200', async () => {
      const statuses = new Set<number>();
      for (let i = 0; i < 150; i++) statuses.add((await t.http.get('/api/health')).status);
      expect([...statuses]).toEqual([200]);
    });
  });
});

describe('CORS for the original clients (real PostgreSQL)', () => {
  const preflight = (t: TestApp, origin: string) =>
    request(t.app.getHttpServer())
      .options('/auth/login')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization,x-client-platform,x-org-id');

  it('outside production allows the web (3000) and desktop (5173) dev servers with credentials by default', async () => {
    const t = await startTestApp({ CORS_ORIGINS: undefined }, { seed: false });
    try {
      for (const origin of ['http://localhost:3000', 'http://localhost:5173']) {
        const res = await preflight(t, origin);
        expect(res.status).toBe(204);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(res.headers['access-control-allow-credentials']).toBe('true');
        expect(res.headers['access-control-allow-headers'].toLowerCase()).toEqual(
          expect.stringContaining('x-client-platform'),
        );
      }
      expect((await preflight(t, 'http://localhost:1420')).headers['access-control-allow-origin']).toBeUndefined();
      const list = await request(t.app.getHttpServer()).get('/api/health').set('Origin', 'http://localhost:3000');
      expect(list.headers['access-control-expose-headers']).toContain('X-Total-Count');
    } finally {
      await t.close();
    }
  });

  it('in production allows no origin unless CORS_ORIGINS names it', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', CORS_ORIGINS: undefined }, { seed: false });
    try {
      expect((await preflight(t, 'http://localhost:3000')).headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
