import type { MetricsService } from '../../metrics/metrics.service';
import bcrypt from 'bcrypt';
import { PasswordHasher, Semaphore } from './password-hasher';

describe('PasswordHasher', () => {
  let queueDepth: () => number = () => -1;
  const hasher = new PasswordHasher({ bcryptCost: 4 }, {
    observeBcryptQueue: (source: () => number) => (queueDepth = source),
  } as unknown as MetricsService);

  it('reports its queue depth to the metrics (0 when idle)', () => {
    expect(queueDepth()).toBe(0);
  });

  it('verifies a password against its hash', async () => {
    const hash = await bcrypt.hash('s3cret', 4);
    await expect(hasher.verifyOrDummy('s3cret', hash)).resolves.toBe(true);
    await expect(hasher.verifyOrDummy('wrong', hash)).resolves.toBe(false);
  });

  it('burns a comparison against a dummy hash of the configured cost when there is no hash', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(hasher.verifyOrDummy('anything', undefined)).resolves.toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(4);
    compare.mockRestore();
  });

  it('treats a malformed stored hash as a failed login', async () => {
    await expect(hasher.verifyOrDummy('x', 'not-a-bcrypt-hash')).resolves.toBe(false);
  });
});

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const semaphore = new Semaphore(2);
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
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
