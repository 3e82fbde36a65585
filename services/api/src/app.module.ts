import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { BranchesModule } from './branches/branches.module';
import { JwtAuthGuard } from './auth/jwt/jwt-auth.guard';
import { RolesGuard } from './auth/roles/roles.guard';
import { ClockModule } from './common/clock/clock.module';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { createValidationPipe } from './common/validation/validation-pipe';
import { CompatModule } from './compat/compat.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { FeatureFlagsModule } from './feature-flags/feature-flags.module';
import { HealthModule } from './health/health.module';
import { LoggerModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { TracingModule } from './tracing/tracing.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { WriteBlockGuard } from './maintenance/write-block.guard';
import { PlatformModule } from './platform/platform.module';
import { MeModule } from './me/me.module';
import { RetentionModule } from './retention/retention.module';

/**
 * Every global guard, filter, pipe and interceptor, registered here and nowhere else (a unit test,
 * app.module.spec.ts, checks). Global guards run in the order of this list:
 *   1. JwtAuthGuard: who is calling (401 without a valid token, unless @Public);
 *   2. RolesGuard: may they (403 below the route's @Roles level);
 *   3. WriteBlockGuard: are writes paused (503 MAINTENANCE). It runs last because it needs the
 *      verified user (their org picks the windows; an L5 may bypass), and so a caller without a
 *      token or role learns 401/403 before 503.
 * The exception filter maps every error to the envelope; the validation pipe rejects bad input
 * with 400 VALIDATION_FAILED. (Express middleware — request id, JSON body guards, helmet,
 * CORS — runs before all of these; see app.factory.ts.)
 */
export const GLOBAL_ENHANCERS: Provider[] = [
  { provide: APP_GUARD, useClass: JwtAuthGuard },
  { provide: APP_GUARD, useClass: RolesGuard },
  { provide: APP_GUARD, useClass: WriteBlockGuard },
  { provide: APP_PIPE, useFactory: createValidationPipe },
  { provide: APP_FILTER, useClass: AllExceptionsFilter },
];

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
        DatabaseModule,
        ClockModule,
        AuthModule,
        PlatformModule,
        MaintenanceModule,
        FeatureFlagsModule,
        HealthModule,
        RetentionModule,
        MeModule,
        BranchesModule,
        CompatModule,
        ...(options.extraModules ?? []),
      ],
      providers: GLOBAL_ENHANCERS,
    };
  }
}
