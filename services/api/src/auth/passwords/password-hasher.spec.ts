import os from 'node:os';
import type { MetricsService } from '../../metrics/metrics.service';
import bcrypt from 'bcrypt';
import { BoundedSemaphore, bcryptCost, COSTS_REMEMBERED, HashingBusyError, PasswordHasher } from './password-hasher';

const noMetrics = { observeBcryptQueue: () => undefined } as unknown as MetricsService;
const config = (bcryptCost = 4) => ({ bcryptCost, loginHashing: { queueMax: 64, queueWaitMs: 2000 } });

describe('PasswordHasher', () => {
  let queueDepth: () => number = () => -1;
  const hasher = new PasswordHasher(config(), {
    observeBcryptQueue: (source: () => number) => (queueDepth = source),
  } as unknown as MetricsService);

  it('reports its queue depth to the metrics: 0 when idle, the comparisons waiting for a slot when busy', async () => {
    expect(queueDepth()).toBe(0);
    const hash = await bcrypt.hash('s3cret', 4);
    const slots = Math.max(1, Math.min(4, os.availableParallelism()));
    const checks = Array.from({ length: slots + 3 }, () => hasher.verify('s3cret', hash));
    expect(queueDepth()).toBe(3);
    await Promise.all(checks);
    expect(queueDepth()).toBe(0);
  });

  it('verifies a password against its hash', async () => {
    const hash = await bcrypt.hash('s3cret', 4);
    await expect(hasher.verify('s3cret', hash)).resolves.toEqual({ ok: true, needsRehash: false });
    await expect(hasher.verify('wrong', hash)).resolves.toEqual({ ok: false, needsRehash: false });
  });

  it('burns a comparison against a dummy hash of the configured cost when there is no hash', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(new PasswordHasher(config(), noMetrics).verify('anything', undefined)).resolves.toEqual({
      ok: false,
      needsRehash: false,
    });
    expect(compare).toHaveBeenCalledTimes(1);
    expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(4);
    compare.mockRestore();
  });

  it('makes an unknown email pay the cost the stored hashes have, not BCRYPT_COST', async () => {
    const h = new PasswordHasher(config(4), noMetrics);
    h.noteStoredCosts([5, 5, 4]);
    expect(h.typicalStoredCost).toBe(5);
    const compare = jest.spyOn(bcrypt, 'compare');
    await h.verify('anything', null);
    expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(5);
    compare.mockRestore();
  });

  it('forgets old costs as newer hashes are seen (after rehashing, the typical cost follows)', () => {
    const h = new PasswordHasher(config(4), noMetrics);
    h.noteStoredCosts(Array.from({ length: COSTS_REMEMBERED }, () => 12));
    h.noteStoredCosts(Array.from({ length: COSTS_REMEMBERED / 2 + 1 }, () => 4));
    expect(h.typicalStoredCost).toBe(4);
  });

  it('asks for a rehash after a successful login with a hash of another cost', async () => {
    const hash = await bcrypt.hash('s3cret', 5);
    await expect(hasher.verify('s3cret', hash)).resolves.toEqual({ ok: true, needsRehash: true });
    await expect(hasher.verify('wrong', hash)).resolves.toEqual({ ok: false, needsRehash: false });
    expect(bcrypt.getRounds(await hasher.hash('s3cret'))).toBe(4);
  });

  it('treats a malformed stored hash as a failed login (after the same work)', async () => {
    await expect(hasher.verify('x', 'not-a-bcrypt-hash')).resolves.toEqual({ ok: false, needsRehash: false });
    expect(bcryptCost('not-a-bcrypt-hash')).toBeUndefined();
  });
});

describe('BoundedSemaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const semaphore = new BoundedSemaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (id: number) =>
      semaphore.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(id);
        running--;
        return id;
      });
    const all = Promise.all([1, 2, 3, 4, 5].map(task));
    await new Promise((resolve) => setImmediate(resolve));
    expect(semaphore.queued).toBe(3);
    await expect(all).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(semaphore.queued).toBe(0);
    expect(peak).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5]);
  });

  it('frees the slot when a task fails', async () => {
    const semaphore = new BoundedSemaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses at once beyond the queue size', async () => {
    const semaphore = new BoundedSemaphore(1, 2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = semaphore.run(() => gate);
    const queued = [semaphore.run(() => Promise.resolve(1)), semaphore.run(() => Promise.resolve(2))];
    await expect(semaphore.run(() => Promise.resolve(3))).rejects.toBeInstanceOf(HashingBusyError);
    expect(semaphore.queued).toBe(2);
    release();
    await running;
    await expect(Promise.all(queued)).resolves.toEqual([1, 2]);
  });

  it('refuses at once when the expected wait (recent task time × queue) exceeds the deadline', async () => {
    const semaphore = new BoundedSemaphore(1, 100, 200);
    await semaphore.run(() => new Promise((resolve) => setTimeout(resolve, 300))); // learns ~300 ms a task
    let release!: () => void;
    const running = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    // One task of ~300 ms ahead > 200 ms: refused without waiting for the 200 ms deadline.
    await expect(semaphore.run(() => Promise.resolve('late'))).rejects.toMatchObject({ name: 'HashingBusyError' });
    expect(Date.now() - started).toBeLessThan(150);
    expect(semaphore.queued).toBe(0);
    release();
    await running;
  });

  it('admits a unit of work only while the callers ahead fit the queue and the deadline', async () => {
    const semaphore = new BoundedSemaphore(1, 1, 10_000);
    const gates: (() => void)[] = [];
    const work = () => semaphore.admit(() => semaphore.run(() => new Promise<void>((r) => gates.push(r))));
    expect(semaphore.refusal()).toBeUndefined();
    const first = work(); // runs
    const second = work(); // one ahead of it: fits maxWaiting = 1
    // What the HTTP edge asks before parsing a login: the next one would be refused (Retry-After ≥ 1 s).
    expect(semaphore.refusal()).toBeGreaterThanOrEqual(1);
    await expect(work()).rejects.toBeInstanceOf(HashingBusyError); // two ahead: refused before any work
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await first;
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await second;
    expect(semaphore.refusal()).toBeUndefined();
    await expect(semaphore.admit(() => Promise.resolve('free again'))).resolves.toBe('free again');
  });

  it('counts the logins the HTTP edge let through (enter) until they are answered, not twice once admitted', async () => {
    const semaphore = new BoundedSemaphore(1, 1, 10_000);
    const leaveFirst = semaphore.enter(); // let through at the edge, not yet at admit
    expect(semaphore.refusal()).toBeUndefined(); // one ahead fits maxWaiting = 1
    const leaveSecond = semaphore.enter();
    expect(semaphore.refusal()).toBeGreaterThanOrEqual(1); // a burst read in one turn stops here
    // Both reach admit: neither is refused for the other's edge count.
    const gates: (() => void)[] = [];
    const work = () => semaphore.admit(() => semaphore.run(() => new Promise<void>((r) => gates.push(r))));
    const first = work();
    const second = work();
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await first;
    leaveFirst();
    leaveFirst(); // idempotent
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
    await second;
    // The second is still unanswered at the edge: it counts, with one more let through.
    const leaveThird = semaphore.enter();
    expect(semaphore.refusal()).toBeGreaterThanOrEqual(1);
    leaveSecond();
    expect(semaphore.refusal()).toBeUndefined();
    leaveThird();
  });

  it('tells the logins the edge refuses when to retry from what is ahead of them, those let through included', async () => {
    const semaphore = new BoundedSemaphore(1, 10, 10_000);
    await semaphore.run(() => new Promise((resolve) => setTimeout(resolve, 60))); // ≥ 60 ms a task
    const leave = Array.from({ length: 40 }, () => semaphore.enter());
    // 39 ahead of a new arrival at ≥ 60 ms each, one at a time: over 2 s (more on a loaded
    // machine, where the task takes longer), never the floor of 1 s that counting only the
    // admitted ones gave.
    expect(semaphore.refusal()).toBeGreaterThanOrEqual(3);
    leave.forEach((l) => l());
  });

  it('refuses admission when the estimated wait exceeds the deadline', async () => {
    const semaphore = new BoundedSemaphore(1, 100, 30);
    await semaphore.run(() => new Promise((resolve) => setTimeout(resolve, 40)));
    let release!: () => void;
    const busy = semaphore.admit(() => semaphore.run(() => new Promise<void>((r) => (release = r))));
    await expect(semaphore.admit(() => Promise.resolve())).rejects.toMatchObject({ name: 'HashingBusyError' });
    await new Promise((r) => setImmediate(r));
    release();
    await busy;
  });

  it('refuses a task that waited past the deadline, and keeps serving the queue', async () => {
    const semaphore = new BoundedSemaphore(1, 100, 30);
    let release!: () => void;
    const running = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const waiting = semaphore.run(() => Promise.resolve('late'));
    await expect(waiting).rejects.toMatchObject({ name: 'HashingBusyError', retryAfterSeconds: 1 });
    expect(semaphore.queued).toBe(0);
    release();
    await running;
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('counts the time an admitted login spent before asking for a slot against the same deadline', async () => {
    const semaphore = new BoundedSemaphore(1, 100, 200);
    let release!: () => void;
    const running = semaphore.run(() => new Promise<void>((resolve) => (release = resolve)));
    const started = performance.now();
    // An admitted login that does 150 ms of other work (throttle, user lookup) first: only about
    // 50 ms of its 200 ms budget is left to wait for the slot.
    const late = semaphore.admit(async () => {
      await new Promise((r) => setTimeout(r, 150));
      return semaphore.run(() => Promise.resolve('hashed'));
    });
    await expect(late).rejects.toMatchObject({ name: 'HashingBusyError' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(300);
    release();
    await running;
  });
});
