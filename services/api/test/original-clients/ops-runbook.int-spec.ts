import { DEMO_PASSWORD } from '@chefcloud/db';
import { MaintenanceService } from '../../src/maintenance/maintenance.service';
import { DEMO, startTestApp, type TestApp } from '../support/test-app';
import { operator, webClient, webLogin } from './clients';

/**
 * The operators' runbook of the original ChefCloud (GUIDE curls for /ops/flags and
 * /ops/maintenance), played against the real API on PostgreSQL, checking the fields an operator
 * reads (../shared/reference/original-clients.md, sections 8 and 9).
 */
describe('original operators’ runbook: /ops/flags and /ops/maintenance (real PostgreSQL)', () => {
  let t: TestApp;
  let owner: string;
  let manager: string;
  let waiter: string;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' });
    [owner, manager, waiter] = await Promise.all([t.login(DEMO.owner), t.login(DEMO.manager), t.login(DEMO.waiter)]);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('feature flags', () => {
    const key = 'PROMOTIONS_ENGINE';

    it('creates an upper-case key (201), then a staged-rollout re-POST changes only the fields it gives (200, UPDATE)', async () => {
      const created = await operator(t, owner)
        .post('/ops/flags', { key, description: 'Promotions engine', active: true, rolloutPct: 10 })
        .expect(201);
      expect(created.body).toMatchObject({ key, description: 'Promotions engine', active: true, rolloutPct: 10 });

      const staged = await operator(t, owner).post('/ops/flags', { key, rolloutPct: 50 }).expect(200);
      // The original reset active and rolloutPct here, switching the flag off mid-rollout.
      expect(staged.body).toMatchObject({
        id: created.body.id,
        key,
        description: 'Promotions engine',
        active: true,
        rolloutPct: 50,
      });
      await operator(t, owner).post('/ops/flags', { key, rolloutPct: 100, active: true }).expect(200);
    });

    it('accepts the key shapes of the runbook and the original tests: upper case, digits, "._-"', async () => {
      for (const k of ['ADVANCED_ANALYTICS', 'NEW_FEATURE', 'TEST_FLAG', 'DANGEROUS_FLAG', 'pos.v2-beta_3']) {
        await operator(t, owner).post('/ops/flags', { key: k }).expect(201);
        await operator(t, owner).get(`/ops/flags/${k}`).expect(200);
      }
      await operator(t, owner).post('/ops/flags', { key: 'bad key!' }).expect(400);
    });

    it('GET /ops/flags answers a bare array sorted by key, with X-Total-Count and Link', async () => {
      const res = await operator(t, owner).get('/ops/flags').expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      const keys = (res.body as { key: string }[]).map((f) => f.key);
      expect(keys).toContain(key);
      expect(keys).toEqual([...keys].sort());
      expect(res.headers['x-total-count']).toBe(String(keys.length));
      expect(res.headers.link).toContain('rel="first"');
      const paged = await operator(t, owner).get('/ops/flags?page=2&pageSize=2').expect(200);
      expect((paged.body as { key: string }[]).map((f) => f.key)).toEqual(keys.slice(2, 4));
    });

    it('GET /ops/flags/:key answers the row; an unknown key is 404', async () => {
      const res = await operator(t, owner).get(`/ops/flags/${key}`).expect(200);
      expect(res.body).toMatchObject({ key, active: true, rolloutPct: 100, description: 'Promotions engine' });
      await operator(t, owner).get('/ops/flags/NOPE').expect(404);
    });

    it('PATCH toggle with no body flips active (200); unknown key 404', async () => {
      const res = await operator(t, owner).patch(`/ops/flags/${key}/toggle`).expect(200);
      expect(res.body).toMatchObject({ key, active: false });
      await operator(t, owner).patch(`/ops/flags/${key}/toggle`).expect(200);
      await operator(t, owner).patch('/ops/flags/NOPE/toggle').expect(404);
    });

    it('POST kill with no body answers 201 with the original message, and the flag is off for everyone', async () => {
      const res = await operator(t, owner).post(`/ops/flags/${key}/kill`).expect(201);
      expect(res.body.message).toBe(`Feature flag ${key} has been killed`);
      expect(res.body).toMatchObject({ key, active: false, rolloutPct: 0 });
      const row = await operator(t, owner).get(`/ops/flags/${key}`).expect(200);
      expect(row.body).toMatchObject({ active: false, rolloutPct: 0 });
      await operator(t, owner).post('/ops/flags/NOPE/kill').expect(404);
    });

    it('GET audit answers a bare array, newest first, with the acting user filled in', async () => {
      const res = await operator(t, owner).get(`/ops/flags/${key}/audit`).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      const audits = res.body as {
        action: string;
        flagKey: string;
        before: unknown;
        after: Record<string, unknown>;
        createdAt: string;
        user: { email: string; firstName: string; lastName: string } | null;
      }[];
      expect(audits.map((a) => a.action)).toEqual(['KILL', 'TOGGLE', 'TOGGLE', 'UPDATE', 'UPDATE', 'CREATE']);
      for (const a of audits) {
        expect(a.flagKey).toBe(key);
        expect(a.user).toMatchObject({ email: DEMO.owner, firstName: 'Olivia', lastName: 'Owner' });
      }
      expect(audits[5].before).toBeNull();
      expect(audits[4]).toMatchObject({ before: { rolloutPct: 10 }, after: { rolloutPct: 50, active: true } });
      expect(res.headers['x-total-count']).toBe('6');
      const page = await operator(t, owner).get(`/ops/flags/${key}/audit?pageSize=2&page=3`).expect(200);
      expect(page.body.map((a: { action: string }) => a.action)).toEqual(['UPDATE', 'CREATE']);
    });

    it('reads need L4, changes L5 (403), and a token (401)', async () => {
      await operator(t, manager).get('/ops/flags').expect(200);
      await operator(t, manager).post('/ops/flags', { key: 'X_FLAG' }).expect(403);
      await operator(t, waiter).get('/ops/flags').expect(403);
      await t.http.get('/ops/flags').expect(401);
    });
  });

  describe('maintenance windows', () => {
    afterEach(async () => {
      await t.prisma.maintenanceWindow.deleteMany();
      t.app.get(MaintenanceService).invalidate();
    });

    const schedule = (minutesFromNow: number, minutes: number, extra: object = {}) =>
      operator(t, owner).post('/ops/maintenance', {
        startsAt: new Date(Date.now() + minutesFromNow * 60_000).toISOString(),
        endsAt: new Date(Date.now() + (minutesFromNow + minutes) * 60_000).toISOString(),
        message: 'Database upgrade',
        ...extra,
      });

    it('POST answers 201 with the row; active and the list answer bare arrays (list paged with headers)', async () => {
      const created = await schedule(-1, 30).expect(201);
      expect(created.body).toMatchObject({ message: 'Database upgrade', blockWrites: true });
      for (const field of ['id', 'startsAt', 'endsAt', 'createdAt']) expect(created.body[field]).toBeDefined();
      await schedule(60, 30, { message: 'Later', blockWrites: false }).expect(201);

      const active = await operator(t, owner).get('/ops/maintenance/active').expect(200);
      expect(active.body).toEqual([expect.objectContaining({ id: created.body.id, message: 'Database upgrade' })]);

      const list = await operator(t, manager).get('/ops/maintenance').expect(200);
      expect(Array.isArray(list.body)).toBe(true);
      expect(list.body.map((w: { message: string }) => w.message)).toEqual(['Later', 'Database upgrade']);
      expect(list.headers['x-total-count']).toBe('2');
      expect(list.headers.link).toContain('rel="last"');

      // The older path stays, in its paged envelope, with the same headers.
      const alias = await operator(t, manager).get('/ops/maintenance/list').expect(200);
      expect(alias.body).toMatchObject({ total: 2, page: 1, items: list.body });
      expect(alias.headers['x-total-count']).toBe('2');
    });

    it('blocks writes with 503, a message and Retry-After; the original bypass header works for L5 only, logged', async () => {
      await schedule(-1, 30).expect(201);
      const blocked = await t.http.post('/probe/orders').set('Authorization', `Bearer ${waiter}`).expect(503);
      expect(blocked.body.message).toBe('Database upgrade');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);

      const before = t.logs.lines.filter((l) => l.msg === 'maintenance write block bypassed by an L5 user').length;
      await t.http
        .post('/probe/orders')
        .set('Authorization', `Bearer ${owner}`)
        .set('X-Bypass-Maintenance', 'true')
        .expect(201);
      await t.http
        .post('/probe/orders')
        .set('Authorization', `Bearer ${manager}`)
        .set('X-Bypass-Maintenance', 'true')
        .expect(503);
      await t.http.post('/probe/orders').set('X-Bypass-Maintenance', 'true').expect(401);
      const after = t.logs.lines.filter((l) => l.msg === 'maintenance write block bypassed by an L5 user');
      expect(after).toHaveLength(before + 1);

      // Logins keep working during the window (the web always sends x-org-id; the original blocked header-less ones).
      const login = await webLogin(t, DEMO.waiter, DEMO_PASSWORD);
      await webClient(t, login.access_token).get('/me').expect(200);
    });

    it('L5 only for changes (403), a token for everything (401)', async () => {
      await operator(t, manager)
        .post('/ops/maintenance', {
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 60_000).toISOString(),
        })
        .expect(403);
      await operator(t, waiter).get('/ops/maintenance').expect(403);
      await t.http.get('/ops/maintenance').expect(401);
    });
  });
});
