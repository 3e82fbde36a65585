import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { MetricsService } from '../metrics/metrics.service';
import { RetentionRepository, type RetentionConnection } from './retention.repository';

const DAY_MS = 86_400_000;

/** What one run did. */
export interface RetentionRun {
  sessionsDeleted: number;
  throttleRowsDeleted: number;
  batches: number;
  durationMs: number;
}

/**
 * Counters of the retention job since this process started, for the metrics endpoint
 * (`chefcloud_retention_*`) and for tests.
 */
export interface RetentionStats {
  runs: number;
  /** Runs skipped because another instance held the lock. */
  skipped: number;
  failures: number;
  sessionsDeleted: number;
  throttleRowsDeleted: number;
  lastRunAt: Date | null;
  lastRunDurationMs: number | null;
}

/**
 * The retention job: every RETENTION_INTERVAL_MS each instance tries to take a PostgreSQL
 * advisory lock; the one that gets it deletes
 *  - sessions that expired, or were revoked, more than SESSION_RETENTION_DAYS ago (no token can
 *    use them any more: a token never outlives its session's expiry), and
 *  - login_throttle rows whose window has passed (a passed window counts as no row: the next hit
 *    starts a new one),
 * RETENTION_BATCH_SIZE rows per statement, each statement its own short transaction, until a
 * batch comes back short. One log line per run ("retention run", with the counts).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionRun | null>;
  private stopping = false;
  private readonly counters: RetentionStats = {
    runs: 0,
    skipped: 0,
    failures: 0,
    sessionsDeleted: 0,
    throttleRowsDeleted: 0,
    lastRunAt: null,
    lastRunDurationMs: null,
  };

  constructor(
    private readonly repository: RetentionRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'retention' | 'loginThrottle'>,
    metrics: MetricsService,
  ) {
    metrics.observeRetention(() => this.stats());
  }

  onApplicationBootstrap(): void {
    const { intervalMs } = this.config.retention;
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  stats(): RetentionStats {
    return { ...this.counters };
  }

  /**
   * One run (also what the timer calls). Resolves to null when another instance holds the lock
   * or a run of this instance is still going; rejects (after logging) when the database fails.
   */
  runOnce(): Promise<RetentionRun | null> {
    if (this.running) return Promise.resolve(null);
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<RetentionRun | null> {
    const started = Date.now();
    let connection: RetentionConnection | undefined;
    try {
      connection = await this.repository.connect();
      if (!(await connection.tryLock())) {
        this.counters.skipped++;
        this.logger.debug('retention run skipped: another instance holds the lock');
        return null;
      }
      const { batchSize, sessionRetentionDays } = this.config.retention;
      const cutoff = new Date(this.clock.now().getTime() - sessionRetentionDays * DAY_MS);
      const throttleWindowSeconds = Math.max(
        this.config.loginThrottle.ipWindowSeconds,
        this.config.loginThrottle.accountWindowSeconds,
      );
      const conn = connection;
      const expired = await this.drain((limit) => conn.deleteExpiredSessions(cutoff, limit), batchSize);
      const revoked = await this.drain((limit) => conn.deleteRevokedSessions(cutoff, limit), batchSize);
      const throttle = await this.drain(
        (limit) => conn.deleteStaleThrottleRows(throttleWindowSeconds, limit),
        batchSize,
      );
      const result: RetentionRun = {
        sessionsDeleted: expired.deleted + revoked.deleted,
        throttleRowsDeleted: throttle.deleted,
        batches: expired.batches + revoked.batches + throttle.batches,
        durationMs: Date.now() - started,
      };
      this.counters.runs++;
      this.counters.sessionsDeleted += result.sessionsDeleted;
      this.counters.throttleRowsDeleted += result.throttleRowsDeleted;
      this.counters.lastRunAt = new Date(started);
      this.counters.lastRunDurationMs = result.durationMs;
      this.logger.log({ msg: 'retention run', ...result, sessionRetentionDays, batchSize });
      return result;
    } catch (error) {
      this.counters.failures++;
      this.logger.warn(`retention run failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      await connection?.close();
    }
  }

  /** Repeat `batch` until it deletes fewer than `limit` rows (or the app is stopping). */
  private async drain(
    batch: (limit: number) => Promise<number>,
    limit: number,
  ): Promise<{ deleted: number; batches: number }> {
    let deleted = 0;
    let batches = 0;
    for (;;) {
      const n = await batch(limit);
      deleted += n;
      batches++;
      if (n < limit || this.stopping) return { deleted, batches };
    }
  }
}
