import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, databasePoolStats, type PrismaClient } from '@chefcloud/db';
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
      onPoolError: (err) => this.logger.warn(`idle database connection failed: ${err.message}`),
    });
    metrics.observeDatabasePool(() => databasePoolStats(this.client) ?? { total: 0, idle: 0, waiting: 0 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
    this.logger.log('database client closed');
  }
}
