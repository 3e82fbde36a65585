import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ClockModule } from './common/clock/clock';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { FeatureFlagsModule } from './feature-flags/feature-flags.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { PlatformModule } from './platform/platform-admin.service';
import { HealthModule } from './health/health.module';
import { LoggerModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { TracingModule } from './tracing/tracing.module';

/** Options of the application root, used by tests (extra probe modules, captured logs). */
export interface AppOptions {
  extraModules?: Type[];
  logDestination?: NodeJS.WritableStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(config, options.logDestination),
        MetricsModule,
        TracingModule,
        ClockModule,
        DatabaseModule,
        AuthModule,
        PlatformModule,
        MaintenanceModule,
        FeatureFlagsModule,
        HealthModule,
        ...(options.extraModules ?? []),
      ],
    };
  }
}
