import { DEMO_PASSWORD } from '@chefcloud/db';
import { recordFigures } from './support/reliability';
import { DEMO, startTestApp, type TestApp } from './support/test-app';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

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

    it('fails open to per-instance counters when the login_throttle table is missing', async () => {
      await t.prisma.$executeRawUnsafe('DROP TABLE login_throttle');
      for (let i = 0; i < 5; i++) expect((await attempt('203.0.113.99', DEMO.manager, DEMO_PASSWORD)).status).toBe(200);
      expect((await attempt('203.0.113.99', DEMO.manager, DEMO_PASSWORD)).status).toBe(429);
    });
  });

  describe('timing', () => {
    let t: TestApp;
    beforeAll(async () => {
      // A realistic cost so the hash dominates, as in production (12); 10 keeps the test short.
      t = await startTestApp({ BCRYPT_COST: '10' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('unknown-email and wrong-password logins take the same time (medians within 25% over 30 each)', async () => {
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
        bcryptCost: 10,
        medianUnknownEmailMs: Math.round(mu * 10) / 10,
        medianWrongPasswordMs: Math.round(mw * 10) / 10,
        differencePct: Math.round(difference * 1000) / 10,
      });
      expect(difference).toBeLessThan(0.25);
    });
  });
});
