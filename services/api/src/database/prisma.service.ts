import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createPrismaClient, type PrismaClient } from '@chefcloud/db';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * The one PrismaClient of the process. It connects lazily (first query), so the API starts
 * and answers liveness even while the database is down; it is closed on shutdown.
 */
@Injectable()
export class PrismaService implements OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);
  readonly client: PrismaClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = createPrismaClient({
      url: config.database.url,
      poolMax: config.database.poolMax,
      connectTimeoutMs: config.database.connectTimeoutMs,
      statementTimeoutMs: config.database.queryTimeoutMs,
      queryTimeoutMs: config.database.queryTimeoutMs + 1_000,
      onPoolError: (err) => this.logger.warn(`idle database connection failed: ${err.message}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
    this.logger.log('database client closed');
  }
}
