import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { PlatformModule } from '../platform/platform.module';
import { FeatureFlagsController } from './feature-flags.controller';
import { FeatureFlagsRepository } from './feature-flags.repository';
import { FeatureFlagsService } from './feature-flags.service';
import { RequireFlagGuard } from './require-flag.guard';

/** Feature flags with an audit trail; exports FeatureFlagsService.isEnabled and the @RequireFlag guard. */
@Module({
  imports: [MetricsModule, PlatformModule],
  controllers: [FeatureFlagsController],
  providers: [FeatureFlagsRepository, FeatureFlagsService, RequireFlagGuard],
  exports: [FeatureFlagsService, RequireFlagGuard],
})
export class FeatureFlagsModule {}
