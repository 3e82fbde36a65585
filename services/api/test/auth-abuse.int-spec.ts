import bcrypt from 'bcrypt';
import { DEMO_PASSWORD, seedDemoData } from '@chefcloud/db';
import { recordFigures } from './support/reliability';
import { PasswordHasher } from '../src/auth/passwords/password-hasher';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The stored hash of a user (to count the bcrypt comparisons made against it). */
async function userHash(t: TestApp, email: string): Promise<{ hash: string }> {
  const user = await t.prisma.user.findUniqueOrThrow({ where: { email } });
  return { hash: user.passwordHash };
}

/** A user of Demo Bistro with the demo password. */
async function createUser(t: TestApp, email: string, cost = t.config.bcryptCost): Promise<void> {
  const org = await t.prisma.org.findUniqueOrThrow({ where: { slug: 'demo-bistro' } });
  await t.prisma.user.create({
    data: {
      orgId: org.id,
      email,
      firstName: 'S',
      lastName: 'T',
      roleLevel: 'L1',
      passwordHash: await bcrypt.hash(DEMO_PASSWORD, cost),
    },
  });
}

const figures: Record<string, unknown> = {};
afterAll(() => recordFigures('login-throttle', figures));

describe('login abuse protection (real PostgreSQL)', () => {
  describe('throttling', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        LOGIN_THROTTLE_IP_LIMIT: '5',
        LOGIN_THROTTLE_IP_WINDOW_SECONDS: '60',
        LOGIN_THROTTLE_ACCOUNT_LIMIT: '3',
        LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: '900',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    const attempt = (ip: string, email: string, password = 'wrong-password') =>
      t.http.post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

    it('limits attempts per client IP (X-Forwarded-For behind one proxy) with 429 and Retry-After', async () => {
      for (let i = 0; i < 5; i++) expect((await attempt('203.0.113.10', `probe${i}@example.test`)).status).toBe(401);
      const refused = await attempt('203.0.113.10', 'probe-last@example.test');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS', requestId: expect.any(String) });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Even correct credentials wait: the limit is on the address.
      expect((await attempt('203.0.113.10', DEMO.manager, DEMO_PASSWORD)).status).toBe(429);
      // Another address is unaffected.
      expect((await attempt('203.0.113.11', DEMO.manager, DEMO_PASSWORD)).status).toBe(200);
    });

    it('limits failed attempts per account across addresses, without revealing whether the email exists', async () => {
      for (const email of [DEMO.waiter, 'ghost@demo-bistro.test']) {
        for (let i = 0; i < 3; i++) expect((await attempt(`198.51.100.${i + 1}`, email)).status).toBe(401);
        const refused = await attempt('198.51.100.50', email, DEMO_PASSWORD);
        expect({ email, status: refused.status, code: (refused.body as { code: string }).code }).toEqual({
          email,
          status: 429,
          code: 'TOO_MANY_ATTEMPTS',
        });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
      }
      // Other accounts are unaffected.
      expect((await attempt('198.51.100.60', DEMO.owner, DEMO_PASSWORD)).status).toBe(200);
    });

    it("clears an account's failures on a successful login", async () => {
      for (let i = 0; i < 2; i++) expect((await attempt('192.0.2.1', DEMO.otherOwner)).status).toBe(401);
      expect((await attempt('192.0.2.2', DEMO.otherOwner, DEMO_PASSWORD)).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await attempt('192.0.2.3', DEMO.otherOwner)).status).toBe(401);
      expect((await attempt('192.0.2.4', DEMO.otherOwner, DEMO_PASSWORD)).status).toBe(200);
    });

    it('keeps the counters in PostgreSQL (shared by every instance), keyed without the email in clear', async () => {
      const rows = await t.prisma.$queryRaw<
        { key: string; hits: number }[]
      >`SELECT key, hits FROM login_throttle ORDER BY key`;
      expect(rows.some((r) => r.key === 'ip:203.0.113.10' && r.hits >= 6)).toBe(true);
      expect(rows.filter((r) => r.key.startsWith('account:')).length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(rows)).not.toContain('@');
    });

    it('50 parallel wrong-password logins for one account from 50 addresses: at most LIMIT passwords are checked', async () => {
      const { hash } = await userHash(t, DEMO.manager);
      const compare = jest.spyOn(bcrypt, 'compare');
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          attempt(`100.64.1.${i + 1}`, DEMO.manager).then((r) => ({ status: r.status, code: r.body.code })),
        ),
      );
      const evaluated = compare.mock.calls.filter(([, h]) => h === hash).length;
      compare.mockRestore();
      figures.burstOneAccount50Ips = { attempts: 50, passwordChecks: evaluated, limit: 3 };
      expect(evaluated).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s.status === 401)).toHaveLength(evaluated);
      expect(statuses.filter((s) => s.status === 429 && s.code === 'TOO_MANY_ATTEMPTS')).toHaveLength(50 - evaluated);
      // The correct password after the limit: refused without a check.
      expect((await attempt('100.64.1.200', DEMO.manager, DEMO_PASSWORD)).status).toBe(429);
    });

    it('a correct password hidden in a parallel burst of wrong ones cannot log in past the limit', async () => {
      const email = 'hidden@demo-bistro.test';
      await createUser(t, email);
      const compare = jest.spyOn(bcrypt, 'compare');
      const { hash } = await userHash(t, email);
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          attempt(`100.64.2.${i + 1}`, email, i === 30 ? DEMO_PASSWORD : 'wrong-password').then((r) => r.status),
        ),
      );
      const evaluated = compare.mock.calls.filter(([, h]) => h === hash).length;
      compare.mockRestore();
      expect(evaluated).toBeLessThanOrEqual(3);
      // Whatever the order of arrival: never more successes + failures than checks.
      expect(burst.filter((s) => s === 200 || s === 401).length).toBe(evaluated);
      expect(burst.filter((s) => s === 429).length).toBe(40 - evaluated);
    });

    it('two instances share the account limit (reserve in PostgreSQL, not in memory)', async () => {
      const email = 'shared@demo-bistro.test';
      await createUser(t, email);
      const other = await startTestApp(
        { LOGIN_THROTTLE_IP_LIMIT: '5', LOGIN_THROTTLE_ACCOUNT_LIMIT: '3' },
        { db: t.db, seed: false, probe: false },
      );
      try {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other.http : t.http)
              .post('/auth/login')
              .set('X-Forwarded-For', `100.64.3.${i + 1}`)
              .send({ email, password: 'wrong' })
              .then((r) => r.status),
          ),
        );
        expect(statuses.filter((s) => s === 401)).toHaveLength(3);
        expect(statuses.filter((s) => s === 429)).toHaveLength(17);
      } finally {
        await other.app.close();
      }
    });

    it('25 staff signing in from one restaurant address are never refused; its failures still are', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const email = `staff${i}@demo-bistro.test`;
        await createUser(t, email);
        statuses.push((await attempt('100.64.4.1', email, DEMO_PASSWORD)).status);
      }
      expect(statuses).toEqual(Array.from({ length: 25 }, () => 200));
      for (let i = 0; i < 5; i++) expect((await attempt('100.64.4.1', `nobody${i}@x.test`)).status).toBe(401);
      expect((await attempt('100.64.4.1', 'staff0@demo-bistro.test', DEMO_PASSWORD)).status).toBe(429);
      figures.sharedAddress = { successfulLogins: 25, ipFailureLimit: 5, refusedAfterFailures: true };
    });

    it('fails open to per-instance counters when the login_throttle table is missing', async () => {
      await t.prisma.$executeRawUnsafe('DROP TABLE login_throttle');
      for (let i = 0; i < 5; i++) expect((await attempt('203.0.113.99', `fallback${i}@x.test`)).status).toBe(401);
      expect((await attempt('203.0.113.99', DEMO.owner, DEMO_PASSWORD)).status).toBe(429);
    });
  });

  describe('timing', () => {
    let t: TestApp;
    beforeAll(async () => {
      // BCRYPT_COST was lowered after the hashes were stored: they keep cost 10 until their
      // owners sign in again, and the app hashes at 8. An unknown email must still cost 10.
      t = await startTestApp({ BCRYPT_COST: '8' }, { seed: false });
      await seedDemoData(t.prisma, { bcryptCost: 10, nodeEnv: 'test' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('unknown-email and wrong-password logins take the same time after BCRYPT_COST changed (medians within 25% over 30 each)', async () => {
      const time = async (email: string): Promise<number> => {
        const started = process.hrtime.bigint();
        const res = await t.http.post('/auth/login').send({ email, password: 'definitely-wrong' });
        expect(res.status).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      await time(DEMO.manager); // warm-up (dummy hash, connections)
      await time('warmup@nowhere.test');
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 30; i++) {
        unknown.push(await time(`nobody-${i}@nowhere.test`));
        wrong.push(await time(DEMO.manager));
      }
      const [mu, mw] = [median(unknown), median(wrong)];
      const difference = Math.abs(mu - mw) / Math.max(mu, mw);
      process.stdout.write(
        `[timing] median unknown-email ${mu.toFixed(1)} ms, wrong-password ${mw.toFixed(1)} ms, difference ${(difference * 100).toFixed(1)}%\n`,
      );
      recordFigures('login-timing', {
        attemptsEach: 30,
        storedBcryptCost: 10,
        configuredBcryptCost: 8,
        medianUnknownEmailMs: Math.round(mu * 10) / 10,
        medianWrongPasswordMs: Math.round(mw * 10) / 10,
        differencePct: Math.round(difference * 1000) / 10,
      });
      expect(difference).toBeLessThan(0.25);
    });

    it('rehashes a stored hash at BCRYPT_COST after a successful login, transparently', async () => {
      const before = await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.waiter } });
      expect(bcrypt.getRounds(before.passwordHash)).toBe(10);
      expect((await t.http.post('/auth/login').send({ email: DEMO.waiter, password: DEMO_PASSWORD })).status).toBe(200);
      let cost = 10;
      for (let i = 0; i < 100 && cost === 10; i++) {
        await new Promise((r) => setTimeout(r, 50));
        cost = bcrypt.getRounds(
          (await t.prisma.user.findUniqueOrThrow({ where: { email: DEMO.waiter } })).passwordHash,
        );
      }
      expect(cost).toBe(8);
      // The new hash works, and is not rehashed again.
      expect((await t.http.post('/auth/login').send({ email: DEMO.waiter, password: DEMO_PASSWORD })).status).toBe(200);
      expect((await t.http.post('/auth/login').send({ email: DEMO.waiter, password: 'wrong' })).status).toBe(401);
    });
  });

  describe('shedding at the HTTP edge', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers a login the hasher would refuse before parsing it: 503 LOGIN_BUSY, Retry-After, request id, security headers, no-store', async () => {
      const hasher = t.app.get(PasswordHasher);
      const refusal = jest.spyOn(hasher, 'refusal').mockReturnValue(4);
      try {
        // Not even parsed or validated: a body that would be a 400 is shed the same way.
        for (const body of [{ email: DEMO.owner, password: DEMO_PASSWORD }, { email: 42 }]) {
          const res = await t.http.post('/auth/login').set('X-Request-Id', 'shed-at-the-edge').send(body);
          expect(res.status).toBe(503);
          expect(res.body).toEqual({
            statusCode: 503,
            code: 'LOGIN_BUSY',
            message: expect.any(String),
            requestId: 'shed-at-the-edge',
          });
          expect(res.headers['retry-after']).toBe('4');
          expect(res.headers['x-request-id']).toBe('shed-at-the-edge');
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.headers['x-content-type-options']).toBe('nosniff');
        }
        expect((await t.http.post('/auth/pin-login').send({})).status).toBe(503);
      } finally {
        refusal.mockRestore();
      }
      // Admitted again: the same login goes through.
      expect((await t.http.post('/auth/login').send({ email: DEMO.owner, password: DEMO_PASSWORD })).status).toBe(200);
    });
  });
});
