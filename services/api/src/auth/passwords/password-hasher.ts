import { AsyncLocalStorage } from 'node:async_hooks';
import os from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';

/** Thrown when a hashing task is shed: the queue is full, or it would wait past its deadline. */
export class HashingBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is saturated');
    this.name = 'HashingBusyError';
  }
}

/** How many recent stored-hash costs decide the dummy's cost (old costs fade out as users are rehashed). */
export const COSTS_REMEMBERED = 256;

interface Waiter {
  start: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * Runs at most `limit` tasks at once; the rest wait in order, in a BOUNDED queue. A task that
 * would wait longer than `maxWaitMs` (estimated from the recent task durations) or find
 * `maxWaiting` tasks ahead is refused at once (HashingBusyError); one that still waits past
 * `maxWaitMs` is refused then. Under a spray the excess gets an answer immediately instead of
 * queueing behind thousands of hashes.
 */
export class BoundedSemaphore {
  private active = 0;
  /** Callers admitted (see `admit`) and not finished: each will run one task. */
  private admitted = 0;
  /**
   * Logins let through at the HTTP edge (see `enter`) and not answered yet: each will ask `admit`
   * once its body is parsed, validated and routed. Counted by `refusal`, so that a burst that
   * arrives in one turn of the event loop (before any of it reaches `admit`) is not let through
   * whole, each login then paying for that pipeline only to be refused by `admit`.
   */
  private entered = 0;
  private readonly waiting: Waiter[] = [];
  /** Moving average of a task's duration (ms), for the wait estimate. */
  private averageTaskMs = 0;
  /**
   * The deadline (performance.now() ms) of the admitted unit of work a task runs in: its wait
   * for a slot is bounded from its ARRIVAL, not from when it asks for the slot, so the work done
   * in between (the throttle, the user lookup) counts against the same `maxWaitMs`.
   */
  private readonly admission = new AsyncLocalStorage<number>();

  constructor(
    readonly limit: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
    private readonly maxWaitMs = Number.POSITIVE_INFINITY,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Admission control for a whole unit of work that will run ONE task here (a login: throttle,
   * user lookup, then one comparison). Refused at once (HashingBusyError), before it does any
   * of its work, when the callers already admitted would make it wait past `maxWaitMs` or
   * exceed `limit + maxWaiting`: under a spray, the excess never even queues for a database
   * connection.
   */
  async admit<T>(work: () => Promise<T>): Promise<T> {
    const refused = this.refusalWith(this.admitted);
    if (refused !== undefined) throw new HashingBusyError(refused);
    this.admitted++;
    try {
      return await this.admission.run(performance.now() + this.maxWaitMs, work);
    } finally {
      this.admitted--;
    }
  }

  /**
   * Whether a caller arriving now would be refused: its Retry-After (seconds), or undefined when
   * it would be admitted. Lets the HTTP edge shed a login before any of its work; the logins the
   * edge let through (`enter`) count as admitted already.
   */
  refusal(): number | undefined {
    return this.refusalWith(Math.max(this.admitted, this.entered));
  }

  /**
   * A login let through at the HTTP edge: counted by `refusal` until the returned function is
   * called (once its answer is sent; calling it again does nothing).
   */
  enter(): () => void {
    this.entered++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.entered--;
    };
  }

  private refusalWith(ahead0: number): number | undefined {
    const ahead = Math.max(0, ahead0 + 1 - this.limit);
    return ahead > this.maxWaiting || (ahead / this.limit) * this.averageTaskMs > this.maxWaitMs
      ? this.retryAfterSeconds()
      : undefined;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await this.wait();
    this.active++;
    const started = performance.now();
    try {
      return await task();
    } finally {
      const took = performance.now() - started;
      this.averageTaskMs = this.averageTaskMs === 0 ? took : this.averageTaskMs * 0.8 + took * 0.2;
      this.active--;
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.start();
      }
    }
  }

  private wait(): Promise<void> {
    const deadline = this.admission.getStore();
    // An admitted task's deadline is its arrival plus maxWaitMs: never more than maxWaitMs away.
    const budgetMs = deadline === undefined ? this.maxWaitMs : deadline - performance.now();
    const expectedWaitMs = ((this.waiting.length + 1) / this.limit) * this.averageTaskMs;
    if (this.waiting.length >= this.maxWaiting || budgetMs <= 0 || expectedWaitMs > budgetMs) {
      return Promise.reject(new HashingBusyError(this.retryAfterSeconds()));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { start: resolve };
      if (Number.isFinite(budgetMs)) {
        waiter.timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new HashingBusyError(this.retryAfterSeconds()));
        }, budgetMs);
      }
      this.waiting.push(waiter);
    });
  }

  private retryAfterSeconds(): number {
    const queued = Math.max(this.waiting.length, Math.max(this.admitted, this.entered) - this.limit);
    return Math.max(1, Math.ceil(((queued / this.limit) * this.averageTaskMs) / 1000));
  }
}

/** The cost factor of a bcrypt hash, or undefined when it is not one. */
export function bcryptCost(hash: string): number | undefined {
  try {
    const rounds = bcrypt.getRounds(hash);
    return Number.isInteger(rounds) && rounds >= 4 && rounds <= 31 ? rounds : undefined;
  } catch {
    return undefined;
  }
}

export interface Verification {
  ok: boolean;
  /** The stored hash has another cost than BCRYPT_COST: rehash it after a successful login. */
  needsRehash: boolean;
}

/**
 * bcrypt behind one small class. bcrypt's async API hashes on libuv's thread pool, so logins
 * never block the event loop.
 *
 * Timing parity: with no user, `verify` compares against a dummy hash of the cost the STORED
 * hashes have (the most common cost seen, seeded from a sample of the users table), not of
 * BCRYPT_COST: after BCRYPT_COST changes, stored hashes keep their old cost until their owners
 * sign in again (then they are rehashed), and an unknown email must take as long as they do.
 *
 * At most one comparison per CPU core runs at a time (libuv's pool has 4 threads; on a 2-core
 * instance four hashing threads would make the event loop wait for a core behind them), with a
 * bounded queue in front (LOGIN_HASH_QUEUE_MAX, LOGIN_HASH_QUEUE_WAIT_MS): what would wait
 * longer is refused at once with HashingBusyError (→ 503 + Retry-After).
 */
@Injectable()
export class PasswordHasher {
  private readonly dummyHashes = new Map<number, Promise<string>>();
  /** The costs of the last COSTS_REMEMBERED stored hashes seen (sample, then logins), oldest first. */
  private readonly costsSeen: number[] = [];
  private readonly slots: BoundedSemaphore;
  private readonly cost: number;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'bcryptCost' | 'loginHashing'>, metrics: MetricsService) {
    this.cost = config.bcryptCost;
    this.slots = new BoundedSemaphore(
      Math.max(1, Math.min(4, os.availableParallelism())),
      config.loginHashing.queueMax,
      config.loginHashing.queueWaitMs,
    );
    // Computed once in the background at startup (on the thread pool), ready before the first login.
    void this.dummyHash(this.cost);
    metrics.observeBcryptQueue(() => this.slots.queued);
  }

  /** Record the costs of a sample of stored hashes (the dummy then takes the most common one). */
  noteStoredCosts(costs: readonly number[]): void {
    this.costsSeen.push(...costs);
    if (this.costsSeen.length > COSTS_REMEMBERED) this.costsSeen.splice(0, this.costsSeen.length - COSTS_REMEMBERED);
  }

  /** The cost an unknown email is made to pay: the most common stored cost (BCRYPT_COST before any is known). */
  get typicalStoredCost(): number {
    const counts = new Map<number, number>();
    for (const cost of this.costsSeen) counts.set(cost, (counts.get(cost) ?? 0) + 1);
    let best = this.cost;
    let bestCount = 0;
    for (const [cost, count] of counts) if (count > bestCount) [best, bestCount] = [cost, count];
    return best;
  }

  /** Whether `password` matches `hash`; with no hash, burns one comparison of the typical stored cost and fails. */
  async verify(password: string, hash: string | null | undefined): Promise<Verification> {
    const cost = hash ? bcryptCost(hash) : undefined;
    if (!hash || cost === undefined) {
      // A missing user, or a malformed stored hash: a failed login after the same work.
      const dummy = await this.dummyHash(this.typicalStoredCost);
      await this.slots.run(() => bcrypt.compare(password, dummy));
      return { ok: false, needsRehash: false };
    }
    this.noteStoredCosts([cost]);
    const ok = await this.slots.run(() => bcrypt.compare(password, hash));
    return { ok, needsRehash: ok && cost !== this.cost };
  }

  /** Whether a login arriving now would be shed: its Retry-After (seconds), or undefined (it would be admitted). */
  refusal(): number | undefined {
    return this.slots.refusal();
  }

  /** A login let through at the HTTP edge, counted by `refusal` until the returned function is called. */
  enter(): () => void {
    return this.slots.enter();
  }

  /** Run a login (which will `verify` once) only if hashing can take it in time; else HashingBusyError at once. */
  admit<T>(login: () => Promise<T>): Promise<T> {
    return this.slots.admit(login);
  }

  /** A new hash at BCRYPT_COST (through the same bounded slots). */
  hash(password: string): Promise<string> {
    return this.slots.run(() => bcrypt.hash(password, this.cost));
  }

  private dummyHash(cost: number): Promise<string> {
    let dummy = this.dummyHashes.get(cost);
    if (!dummy) {
      dummy = bcrypt.hash('chefcloud-dummy-password', cost);
      this.dummyHashes.set(cost, dummy);
    }
    return dummy;
  }
}
