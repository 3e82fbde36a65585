import type { SessionSnapshot } from './sessions.repository';

interface Entry {
  snapshot: SessionSnapshot | null;
  expiresAt: number;
}

/**
 * A short-lived, per-instance cache of session lookups, so an authenticated request costs no
 * database round trip most of the time. Revocations made on this instance evict at once;
 * revocations made on another instance are seen after at most `ttlMs` (SESSION_CACHE_TTL_MS).
 * Bounded: the oldest entries are dropped beyond `maxEntries`.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(sessionId: string): SessionSnapshot | null | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.snapshot;
  }

  set(sessionId: string, snapshot: SessionSnapshot | null): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { snapshot, expiresAt: this.now() + this.ttlMs });
  }

  evict(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  evictUser(userId: string): void {
    for (const [id, entry] of this.entries) if (entry.snapshot?.userId === userId) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
