import type { MetricsService } from '../../metrics/metrics.service';
import { accountKey, LoginThrottleService } from './login-throttle.service';
import { MemoryThrottleStore } from './throttle-store';

const limits = { loginThrottle: { ipLimit: 3, ipWindowSeconds: 60, accountLimit: 2, accountWindowSeconds: 900 } };

function setup() {
  let now = Date.parse('2026-11-25T12:00:00Z');
  const clock = { advance: (ms: number) => (now += ms) };
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  const store = new MemoryThrottleStore(() => now);
  const metrics = { throttleHit: jest.fn() };
  return {
    service: new LoginThrottleService(limits, store, metrics as unknown as MetricsService),
    store,
    clock,
    metrics,
  };
}

afterEach(() => jest.restoreAllMocks());

describe('LoginThrottleService', () => {
  it('refuses the attempt after the per-IP limit with 429 and Retry-After until the window ends', async () => {
    const { service, clock, metrics } = setup();
    for (let i = 0; i < 3; i++) await service.beforeAttempt('1.1.1.1', `u${i}@x.test`);
    expect(metrics.throttleHit).not.toHaveBeenCalled();
    const error = await service.beforeAttempt('1.1.1.1', 'u9@x.test').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, headers: { 'Retry-After': '60' } });
    expect(metrics.throttleHit).toHaveBeenCalledWith('ip');
    await expect(service.beforeAttempt('2.2.2.2', 'u9@x.test')).resolves.toEqual({ accountHasFailures: false });
    clock.advance(60_000);
    await expect(service.beforeAttempt('1.1.1.1', 'u9@x.test')).resolves.toEqual({ accountHasFailures: false });
  });

  it('refuses an account after its failure limit from any IP, and a success clears it', async () => {
    const { service, metrics } = setup();
    await service.recordFailure('A@x.test');
    await expect(service.beforeAttempt('1.1.1.1', 'a@x.test')).resolves.toEqual({ accountHasFailures: true });
    await service.recordSuccess('a@x.test', true);
    await expect(service.beforeAttempt('1.1.1.1', 'a@x.test')).resolves.toEqual({ accountHasFailures: false });
    await service.recordFailure('a@x.test');
    await expect(service.beforeAttempt('1.1.1.2', 'a@x.test')).resolves.toEqual({ accountHasFailures: true });
    await service.recordFailure('a@x.test');
    await expect(service.beforeAttempt('1.1.1.3', 'a@x.test')).rejects.toMatchObject({
      status: 429,
      headers: { 'Retry-After': '900' },
    });
    expect(metrics.throttleHit).toHaveBeenCalledWith('account');
  });

  it('clears nothing on a success when there were no failures', async () => {
    const { service, store } = setup();
    const reset = jest.spyOn(store, 'reset');
    await service.recordSuccess('a@x.test', false);
    expect(reset).not.toHaveBeenCalled();
  });

  it('keys accounts by a hash of the normalised email', () => {
    expect(accountKey(' A@X.test ')).toBe(accountKey('a@x.test'));
    expect(accountKey('a@x.test')).toMatch(/^account:[0-9a-f]{64}$/);
  });
});

describe('MemoryThrottleStore', () => {
  it('restarts a key whose window has passed, and peeks without counting', async () => {
    let now = 0;
    const store = new MemoryThrottleStore(() => now);
    await store.hit('k', 10);
    await store.hit('k', 10);
    await expect(store.peek('k', 10)).resolves.toMatchObject({ hits: 2 });
    now = 10_000;
    await expect(store.peek('k', 10)).resolves.toBeNull();
    await expect(store.hit('k', 10)).resolves.toEqual({ hits: 1, resetAt: new Date(20_000) });
  });
});
