/** A fixed-window counter: how many hits a key has had in its current window. */
export interface ThrottleCount {
  hits: number;
  /** When the current window ends (the key is reset then). */
  resetAt: Date;
}

/** Where login throttling counters live. */
export interface ThrottleStore {
  /** Count one hit for `key` and return the window's count (a past window restarts at 1). */
  hit(key: string, windowSeconds: number): Promise<ThrottleCount>;
  reset(key: string): Promise<void>;
  /** hit(hitKey) and peek(peekKey) together (one round trip where the store allows). */
  hitAndPeek(
    hitKey: string,
    hitWindowSeconds: number,
    peekKey: string,
    peekWindowSeconds: number,
  ): Promise<[ThrottleCount, ThrottleCount | null]>;
}

/** Per-process counters; used when the shared table is not available (and in unit tests). */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly windows = new Map<string, { hits: number; startedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, windowSeconds: number): Promise<ThrottleCount> {
    const now = this.now();
    const current = this.windows.get(key);
    const open = current && current.startedAt + windowSeconds * 1000 > now ? current : undefined;
    const next = open ? { hits: open.hits + 1, startedAt: open.startedAt } : { hits: 1, startedAt: now };
    this.windows.set(key, next);
    if (this.windows.size > 100_000) this.prune(windowSeconds);
    return Promise.resolve({ hits: next.hits, resetAt: new Date(next.startedAt + windowSeconds * 1000) });
  }

  /** The current window's count without counting, or null when the key has no open window. */
  peek(key: string, windowSeconds: number): Promise<ThrottleCount | null> {
    const current = this.windows.get(key);
    if (!current || current.startedAt + windowSeconds * 1000 <= this.now()) return Promise.resolve(null);
    return Promise.resolve({ hits: current.hits, resetAt: new Date(current.startedAt + windowSeconds * 1000) });
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  async hitAndPeek(
    hitKey: string,
    hitWindowSeconds: number,
    peekKey: string,
    peekWindowSeconds: number,
  ): Promise<[ThrottleCount, ThrottleCount | null]> {
    return [await this.hit(hitKey, hitWindowSeconds), await this.peek(peekKey, peekWindowSeconds)];
  }

  private prune(windowSeconds: number): void {
    const cutoff = this.now() - windowSeconds * 1000;
    for (const [key, value] of this.windows) if (value.startedAt <= cutoff) this.windows.delete(key);
  }
}
