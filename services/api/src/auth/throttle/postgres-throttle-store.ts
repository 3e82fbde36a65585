import { Injectable, Logger } from '@nestjs/common';
import { isMissingTableError } from '@chefcloud/db';
import { PrismaService } from '../../database/prisma.service';
import { MemoryThrottleStore, type ThrottleCount, type ThrottleStore } from './throttle-store';

interface Row {
  hits: number;
  window_started_at: Date;
}

const MISSING_TABLE_WARNING_INTERVAL_MS = 60_000;

/**
 * Counters in the `login_throttle` table, shared by every API instance (one atomic upsert per
 * hit). When the table does not exist yet (migration not applied) the store fails open to
 * per-process counters, so login keeps working and stays throttled per instance; a warning is
 * logged at most once a minute. Any other database error propagates (→ 503).
 */
@Injectable()
export class PostgresThrottleStore implements ThrottleStore {
  private readonly logger = new Logger('LoginThrottle');
  private readonly fallback = new MemoryThrottleStore();
  private lastWarningAt = 0;

  constructor(private readonly prisma: PrismaService) {}

  async hit(key: string, windowSeconds: number): Promise<ThrottleCount> {
    return this.orFallback(
      async () => {
        const rows = await this.prisma.client.$queryRaw<Row[]>`
          INSERT INTO login_throttle AS t (key, hits, window_started_at) VALUES (${key}, 1, now())
          ON CONFLICT (key) DO UPDATE SET
            hits = CASE WHEN t.window_started_at <= now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE t.hits + 1 END,
            window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE t.window_started_at END
          RETURNING hits, window_started_at`;
        return toCount(rows[0], windowSeconds);
      },
      () => this.fallback.hit(key, windowSeconds),
    );
  }

  /** The IP hit and the account peek of one login attempt, in a single statement. */
  async hitAndPeek(
    hitKey: string,
    hitWindowSeconds: number,
    peekKey: string,
    peekWindowSeconds: number,
  ): Promise<[ThrottleCount, ThrottleCount | null]> {
    return this.orFallback(
      async () => {
        const rows = await this.prisma.client.$queryRaw<
          (Row & { peek_hits: number | null; peek_started_at: Date | null })[]
        >`
          WITH hit AS (
            INSERT INTO login_throttle AS t (key, hits, window_started_at) VALUES (${hitKey}, 1, now())
            ON CONFLICT (key) DO UPDATE SET
              hits = CASE WHEN t.window_started_at <= now() - make_interval(secs => ${hitWindowSeconds}) THEN 1 ELSE t.hits + 1 END,
              window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => ${hitWindowSeconds}) THEN now() ELSE t.window_started_at END
            RETURNING hits, window_started_at
          )
          SELECT hit.hits, hit.window_started_at, peek.hits AS peek_hits, peek.window_started_at AS peek_started_at
          FROM hit LEFT JOIN login_throttle peek
            ON peek.key = ${peekKey} AND peek.window_started_at > now() - make_interval(secs => ${peekWindowSeconds})`;
        const row = rows[0];
        const peek =
          row?.peek_hits != null && row.peek_started_at
            ? toCount({ hits: row.peek_hits, window_started_at: row.peek_started_at }, peekWindowSeconds)
            : null;
        return [toCount(row, hitWindowSeconds), peek] as [ThrottleCount, ThrottleCount | null];
      },
      () => this.fallback.hitAndPeek(hitKey, hitWindowSeconds, peekKey, peekWindowSeconds),
    );
  }

  async reset(key: string): Promise<void> {
    await this.orFallback(
      async () => {
        await this.prisma.client.$executeRaw`DELETE FROM login_throttle WHERE key = ${key}`;
      },
      () => this.fallback.reset(key),
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
  return {
    hits: Number(row.hits),
    resetAt: new Date(new Date(row.window_started_at).getTime() + windowSeconds * 1000),
  };
}
