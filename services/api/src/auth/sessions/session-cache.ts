import { ExpiringMap } from '../../common/cache/expiring-map';
import type { SessionSnapshot } from './sessions.repository';

/**
 * A short-lived, per-instance cache of session lookups, so an authenticated request costs no
 * database round trip most of the time. Revocations made on this instance evict at once;
 * revocations made on another instance are seen after at most `ttlMs` (SESSION_CACHE_TTL_MS).
 * Bounded: the oldest entries are dropped beyond `maxEntries`. A missing session is cached as null.
 */
export class SessionCache {
  private readonly entries: ExpiringMap<string, SessionSnapshot | null>;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new ExpiringMap(maxEntries, now);
  }

  get(sessionId: string): SessionSnapshot | null | undefined {
    return this.entries.get(sessionId);
  }

  set(sessionId: string, snapshot: SessionSnapshot | null): void {
    if (this.ttlMs > 0) this.entries.set(sessionId, snapshot, this.now() + this.ttlMs);
  }

  evict(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  evictUser(userId: string): void {
    this.entries.deleteWhere((snapshot) => snapshot?.userId === userId);
  }

  get size(): number {
    return this.entries.size;
  }
}
