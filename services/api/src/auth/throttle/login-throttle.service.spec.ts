import type { MetricsService } from '../../metrics/metrics.service';
import { accountKey, credentialKey, ipFailureKey, LoginThrottleService } from './login-throttle.service';
import { MemoryThrottleStore } from './throttle-store';

const limits = {
  loginThrottle: { ipLimit: 3, ipAttemptLimit: 6, ipWindowSeconds: 60, accountLimit: 2, accountWindowSeconds: 900 },
};

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

const attempt = (ip: string, email: string) => ({ ip, account: accountKey(email) });

afterEach(() => jest.restoreAllMocks());

describe('LoginThrottleService', () => {
  it('refuses an address after LOGIN_THROTTLE_IP_LIMIT failures with 429 and Retry-After until the window ends', async () => {
    const { service, clock, metrics } = setup();
    for (let i = 0; i < 3; i++) await service.failed(await service.reserve(attempt('1.1.1.1', `u${i}@x.test`)));
    const error = await service.reserve(attempt('1.1.1.1', 'u9@x.test')).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, headers: { 'Retry-After': '60' } });
    expect(metrics.throttleHit.mock.calls).toEqual([['ip_failures']]);
    await expect(service.reserve(attempt('2.2.2.2', 'u9@x.test'))).resolves.toBeDefined();
    clock.advance(60_000);
    await expect(service.reserve(attempt('1.1.1.1', 'u8@x.test'))).resolves.toBeDefined();
  });

  it('does not count successes against the address (a shared restaurant network), up to the attempt ceiling', async () => {
    const { service, metrics } = setup();
    for (let i = 0; i < 6; i++) await service.succeeded(await service.reserve(attempt('1.1.1.1', `staff${i}@x.test`)));
    // 6 successes: no failures on record, but every attempt counts against the much higher ceiling.
    await expect(service.reserve(attempt('1.1.1.1', 'staff7@x.test'))).rejects.toMatchObject({ status: 429 });
    expect(metrics.throttleHit.mock.calls).toEqual([['ip_attempts']]);
  });

  it('counts an account attempt BEFORE the check: the limit holds for attempts still in flight', async () => {
    const { service, metrics } = setup();
    const inFlight = await Promise.allSettled(
      ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'].map((ip) => service.reserve(attempt(ip, 'a@x.test'))),
    );
    expect(inFlight.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(inFlight[2]).toMatchObject({ reason: { status: 429, headers: { 'Retry-After': '900' } } });
    expect(metrics.throttleHit.mock.calls).toEqual([['account'], ['account']]);
  });

  it('a success clears the account attempts up to its own; later ones stay counted', async () => {
    const { service } = setup();
    const first = await service.reserve(attempt('1.1.1.1', 'A@x.test'));
    await service.failed(first);
    const second = await service.reserve(attempt('1.1.1.2', 'a@x.test'));
    await service.succeeded(second);
    await expect(service.reserve(attempt('1.1.1.3', 'a@x.test'))).resolves.toBeDefined();
    await expect(service.reserve(attempt('1.1.1.4', 'a@x.test'))).resolves.toBeDefined();
    await expect(service.reserve(attempt('1.1.1.5', 'a@x.test'))).rejects.toMatchObject({ status: 429 });
  });

  it('a refusal for the account is not a failure of the address', async () => {
    const { service, store } = setup();
    for (let i = 0; i < 2; i++) await service.reserve(attempt(`9.9.9.${i}`, 'owner@x.test'));
    for (let i = 0; i < 5; i++)
      await expect(service.reserve(attempt('1.1.1.1', 'owner@x.test'))).rejects.toMatchObject({ status: 429 });
    const [ipFailures] = await store.hitAll([{ key: ipFailureKey('1.1.1.1'), windowSeconds: 60 }]);
    expect(ipFailures.hits).toBe(1); // only this probe
  });

  it('gives both reservations back when the credential was not checked', async () => {
    const { service } = setup();
    for (let i = 0; i < 6; i++) await service.notEvaluated(await service.reserve(attempt('1.1.1.1', 'a@x.test')));
    await expect(service.reserve(attempt('1.1.1.1', 'a@x.test'))).rejects.toMatchObject({ status: 429 }); // the attempt ceiling (6) only
  });

  it('keys accounts by a hash of the normalised email, and other credentials by kind', () => {
    expect(accountKey(' A@X.test ')).toBe(accountKey('a@x.test'));
    expect(accountKey('a@x.test')).toMatch(/^account:[0-9a-f]{64}$/);
    expect(credentialKey('pin', 'branch-1:42')).toMatch(/^pin:[0-9a-f]{64}$/);
  });
});

describe('MemoryThrottleStore', () => {
  it('restarts a key whose window has passed, and releases only from the window named', async () => {
    let now = 0;
    const store = new MemoryThrottleStore(() => now);
    await store.hitAll([{ key: 'k', windowSeconds: 10 }]);
    const [second] = await store.hitAll([{ key: 'k', windowSeconds: 10 }]);
    expect(second).toEqual({ hits: 2, startedAt: new Date(0), resetAt: new Date(10_000) });
    now = 10_000;
    const [restarted] = await store.hitAll([{ key: 'k', windowSeconds: 10 }]);
    expect(restarted).toEqual({ hits: 1, startedAt: new Date(10_000), resetAt: new Date(20_000) });
    await store.release([{ key: 'k', startedAt: new Date(0), by: 5 }]);
    await store.release([{ key: 'missing', startedAt: new Date(0), by: 5 }]);
    const [after] = await store.hitAll([{ key: 'k', windowSeconds: 10 }]);
    expect(after.hits).toBe(2);
    await store.release([{ key: 'k', startedAt: new Date(10_000), by: 5 }]);
    const [floor] = await store.hitAll([{ key: 'k', windowSeconds: 10 }]);
    expect(floor.hits).toBe(1);
  });

  it('prunes ended windows when it holds too many keys', async () => {
    let now = 0;
    const store = new MemoryThrottleStore(() => now);
    await store.hitAll(Array.from({ length: 100_001 }, (_, i) => ({ key: `k${i}`, windowSeconds: 1 })));
    now = 5_000;
    await store.hitAll([{ key: 'fresh', windowSeconds: 1 }]);
    await store.hitAll([{ key: 'k1', windowSeconds: 1 }]);
    expect((store as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThan(10);
  });
});
