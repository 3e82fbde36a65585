import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics (README "Metrics, alerts and traces"): MetricsService for every feature to
 * record into (global), the scrape endpoint, and the HTTP middleware that app.factory mounts.
 */
@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
