import { Injectable, Logger } from '@nestjs/common';
import { isMissingTableError, Prisma } from '@chefcloud/db';
import { PrismaService } from '../../database/prisma.service';
import {
  MemoryThrottleStore,
  type ThrottleCount,
  type ThrottleHit,
  type ThrottleRelease,
  type ThrottleStore,
} from './throttle-store';

interface Row {
  key: string;
  hits: number;
  window_started_at: Date;
}

const MISSING_TABLE_WARNING_INTERVAL_MS = 60_000;

/**
 * Counters in the `login_throttle` table, shared by every API instance. `hitAll` bumps every key
 * of an attempt in ONE upsert statement: PostgreSQL's row locks make each increment atomic, so
 * parallel attempts on several instances each see a distinct count (no read-then-write race),
 * and rows are locked in key order, so two attempts can never deadlock each other. When the
 * table does not exist yet (migration not applied) the store fails open to per-process
 * counters, so login keeps working and stays throttled per instance; a warning is logged at
 * most once a minute. Any other database error propagates (→ 503).
 */
@Injectable()
export class LoginThrottleRepository implements ThrottleStore {
  private readonly logger = new Logger('LoginThrottle');
  private readonly fallback = new MemoryThrottleStore();
  private lastWarningAt = 0;

  constructor(private readonly prisma: PrismaService) {}

  async hitAll(hits: readonly ThrottleHit[]): Promise<ThrottleCount[]> {
    if (hits.length === 0) return [];
    return this.orFallback(
      async () => {
        const windowOf = Prisma.join(
          hits.map((h) => Prisma.sql`WHEN ${h.key}::text THEN ${h.windowSeconds}::double precision`),
          ' ',
        );
        const expired = Prisma.sql`t.window_started_at <= now() - make_interval(secs => CASE EXCLUDED.key ${windowOf} END)`;
        const rows = await this.prisma.client.$queryRaw<Row[]>`
          INSERT INTO login_throttle AS t (key, hits, window_started_at)
          SELECT v.key, 1, now() FROM (VALUES ${Prisma.join(hits.map((h) => Prisma.sql`(${h.key}::text)`))}) AS v(key)
          ORDER BY v.key
          ON CONFLICT (key) DO UPDATE SET
            hits = CASE WHEN ${expired} THEN 1 ELSE t.hits + 1 END,
            window_started_at = CASE WHEN ${expired} THEN now() ELSE t.window_started_at END
          RETURNING key, hits, window_started_at`;
        const byKey = new Map(rows.map((r) => [r.key, r]));
        return hits.map((h) => toCount(byKey.get(h.key), h.windowSeconds));
      },
      () => this.fallback.hitAll(hits),
    );
  }

  /** One single-row statement per key, one after the other: a release holds one row lock at a time (no deadlock). */
  async release(releases: readonly ThrottleRelease[]): Promise<void> {
    await this.orFallback(
      async () => {
        for (const r of releases) {
          if (r.by <= 0) continue;
          await this.prisma.client.$executeRaw`
            UPDATE login_throttle SET hits = GREATEST(hits - ${r.by}::int, 0)
            WHERE key = ${r.key} AND window_started_at = ${r.startedAt}`;
        }
      },
      () => this.fallback.release(releases),
    );
  }

  private async orFallback<T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    try {
      return await primary();
    } catch (error) {
      if (!isMissingTableError(error)) throw error;
      const now = Date.now();
      if (now - this.lastWarningAt >= MISSING_TABLE_WARNING_INTERVAL_MS) {
        this.lastWarningAt = now;
        this.logger.warn(
          'login_throttle table does not exist - throttling logins per instance (run prisma migrate deploy)',
        );
      }
      return fallback();
    }
  }
}

function toCount(row: Row | undefined, windowSeconds: number): ThrottleCount {
  if (!row) throw new Error('login_throttle upsert returned no row');
  const startedAt = new Date(row.window_started_at);
  return { hits: Number(row.hits), startedAt, resetAt: new Date(startedAt.getTime() + windowSeconds * 1000) };
}
