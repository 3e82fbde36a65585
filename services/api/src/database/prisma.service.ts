import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  createPrismaClient,
  databasePoolStats,
  isTransientConflictError,
  type Prisma,
  type PrismaClient,
} from '@chefcloud/db';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';

/**
 * The one PrismaClient of the process. It connects lazily (first query), so the API starts
 * and answers liveness even while the database is down; it is closed on shutdown. Its pool's
 * figures (total, idle, waiting) are read at each metrics scrape.
 */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);
  readonly client: PrismaClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig, metrics: MetricsService) {
    this.client = createPrismaClient({
      url: config.database.url,
      poolMax: config.database.poolMax,
      connectTimeoutMs: config.database.connectTimeoutMs,
      statementTimeoutMs: config.database.queryTimeoutMs,
      queryTimeoutMs: config.database.queryTimeoutMs + 1_000,
      // Interactive transactions follow our timeouts, not Prisma's 2 s / 5 s: waiting for a
      // connection as long as a connect may take, running as long as a query may (plus a margin).
      transactionMaxWaitMs: config.database.connectTimeoutMs,
      transactionTimeoutMs: config.database.queryTimeoutMs + 1_000,
      onPoolError: (err) => this.logger.warn(`idle database connection failed: ${err.message}`),
    });
    metrics.observeDatabasePool(() => databasePoolStats(this.client) ?? { total: 0, idle: 0, waiting: 0 });
  }

  /**
   * An interactive transaction, run again once if PostgreSQL aborted it for a deadlock (40P01)
   * or a serialization failure (40001): the whole transaction was rolled back, so running it
   * again is safe. A second failure propagates (→ 503 DATABASE_UNAVAILABLE).
   */
  async transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    try {
      return await this.client.$transaction(work);
    } catch (error) {
      if (!isTransientConflictError(error)) throw error;
      this.logger.warn('transaction aborted by a deadlock or serialization failure: retrying once');
      return this.client.$transaction(work);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
    this.logger.log('database client closed');
  }
}
