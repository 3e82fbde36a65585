import { DEMO_PASSWORD } from '@chefcloud/db';
import { DEMO, startTestApp, type TestApp } from '../support/test-app';
import { webClient } from './clients';

/**
 * The original web's Playwright suites log in through the API from one address, serially, about
 * 120 times a run — bursts of about 50 a minute (../shared/reference/original-clients.md, section
 * 1). With the default throttling limits (per-IP counting failures only) they must all pass.
 */
describe('original web Playwright suites: ~50 logins a minute from one address (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The production defaults, not the test harness's relaxed limits.
    t = await startTestApp({
      LOGIN_THROTTLE_IP_LIMIT: undefined,
      LOGIN_THROTTLE_ACCOUNT_LIMIT: undefined,
      LOGIN_THROTTLE_IP_WINDOW_SECONDS: undefined,
      LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS: undefined,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('50 successful logins from one address within a minute, cycling the demo users, all 200', async () => {
    const users = [DEMO.owner, DEMO.manager, DEMO.waiter, DEMO.otherOwner];
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await webClient(t)
        .post('/auth/login', { email: users[i % users.length], password: DEMO_PASSWORD })
        .set('X-Forwarded-For', '198.51.100.7');
      statuses.push(res.status);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});
