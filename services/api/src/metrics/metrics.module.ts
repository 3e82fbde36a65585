import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics (README "Metrics, alerts and traces"): MetricsService for the features that
 * record into it (each imports this module), the scrape endpoint; app.factory mounts the HTTP
 * middleware.
 */
@Module({ controllers: [MetricsController], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
