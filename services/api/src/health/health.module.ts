import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { MigrationHistoryRepository } from './migration-history.repository';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [MetricsModule],
  controllers: [HealthController],
  providers: [MigrationHistoryRepository, ReadinessService],
  exports: [ReadinessService],
})
export class HealthModule {}
