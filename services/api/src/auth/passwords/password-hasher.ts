import os from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';

/** Runs at most `limit` tasks at once; the rest wait their turn in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * bcrypt behind one small class. bcrypt's async API hashes on libuv's thread pool, so logins
 * never block the event loop. `verifyOrDummy` compares against a dummy hash of the configured
 * cost when there is no user, so an unknown email costs as much time as a wrong password.
 *
 * At most one comparison per CPU core runs at a time (libuv's pool has 4 threads; on a 2-core
 * instance four hashing threads would make the event loop wait for a core behind them, and a
 * login storm would slow every other request). Throughput is the same: hashing is CPU-bound.
 */
@Injectable()
export class PasswordHasher {
  /** Computed once in the background at startup (on the thread pool), ready before the first login. */
  private readonly dummyHash: Promise<string>;
  private readonly slots = new Semaphore(Math.max(1, Math.min(4, os.availableParallelism())));

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'bcryptCost'>, metrics: MetricsService) {
    this.dummyHash = bcrypt.hash('chefcloud-dummy-password', config.bcryptCost);
    metrics.observeBcryptQueue(() => this.slots.queued);
  }

  /** True when `password` matches `hash`; with no hash, burns one comparison and returns false. */
  async verifyOrDummy(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash) {
      const dummy = await this.dummyHash;
      await this.slots.run(() => bcrypt.compare(password, dummy));
      return false;
    }
    try {
      return await this.slots.run(() => bcrypt.compare(password, hash));
    } catch {
      // A malformed stored hash is a failed login, not a 500.
      return false;
    }
  }
}
