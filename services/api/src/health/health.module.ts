import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { MigrationHistoryRepository } from './migration-history.repository';
import { ReadinessService } from './readiness.service';
import { SchemaColumnsRepository } from './schema-columns.repository';

@Module({
  imports: [MetricsModule],
  controllers: [HealthController],
  providers: [MigrationHistoryRepository, SchemaColumnsRepository, ReadinessService],
  exports: [ReadinessService],
})
export class HealthModule {}
