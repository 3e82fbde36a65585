/** A fixed-window counter: how many hits a key has had in its current window. */
export interface ThrottleCount {
  hits: number;
  /** When the current window started (identifies the window for a later release). */
  startedAt: Date;
  /** When the current window ends (the key restarts at its next hit then). */
  resetAt: Date;
}

/** One counter to bump: `key` in fixed windows of `windowSeconds`. */
export interface ThrottleHit {
  key: string;
  windowSeconds: number;
}

/** Hits to take back from one key's window (that window only: a newer window is left alone). */
export interface ThrottleRelease {
  key: string;
  startedAt: Date;
  by: number;
}

/** Where login throttling counters live. */
export interface ThrottleStore {
  /**
   * Count one hit on every key, atomically (one statement where the store allows), and return
   * each key's count in its current window, in the order given. A past window restarts at 1.
   */
  hitAll(hits: readonly ThrottleHit[]): Promise<ThrottleCount[]>;
  /** Take hits back (never below 0), only from the windows named. */
  release(releases: readonly ThrottleRelease[]): Promise<void>;
}

/** Per-process counters; used when the shared table is not available (and in unit tests). */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly windows = new Map<string, { hits: number; startedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  hitAll(hits: readonly ThrottleHit[]): Promise<ThrottleCount[]> {
    return Promise.resolve(hits.map((h) => this.hitOne(h.key, h.windowSeconds)));
  }

  release(releases: readonly ThrottleRelease[]): Promise<void> {
    for (const r of releases) {
      const current = this.windows.get(r.key);
      if (current && current.startedAt === r.startedAt.getTime()) current.hits = Math.max(0, current.hits - r.by);
    }
    return Promise.resolve();
  }

  private hitOne(key: string, windowSeconds: number): ThrottleCount {
    const now = this.now();
    const current = this.windows.get(key);
    const open = current && current.startedAt + windowSeconds * 1000 > now ? current : undefined;
    const next = open ? { hits: open.hits + 1, startedAt: open.startedAt } : { hits: 1, startedAt: now };
    this.windows.set(key, next);
    if (this.windows.size > 100_000) this.prune(windowSeconds);
    return {
      hits: next.hits,
      startedAt: new Date(next.startedAt),
      resetAt: new Date(next.startedAt + windowSeconds * 1000),
    };
  }

  private prune(windowSeconds: number): void {
    const cutoff = this.now() - windowSeconds * 1000;
    for (const [key, value] of this.windows) if (value.startedAt <= cutoff) this.windows.delete(key);
  }
}
