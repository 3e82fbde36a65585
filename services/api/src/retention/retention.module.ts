import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock/clock.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** The retention job (sessions and login_throttle rows past their keep time). */
@Module({
  imports: [ClockModule, MetricsModule],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
