import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MigrationHistoryRepository } from './migration-history.repository';
import { ReadinessService } from './readiness.service';

@Module({
  controllers: [HealthController],
  providers: [MigrationHistoryRepository, ReadinessService],
  exports: [ReadinessService],
})
export class HealthModule {}
