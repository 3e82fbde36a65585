import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { CompatHealthController } from './compat-health.controller';

/**
 * Routes kept only for the original ChefCloud's clients (see README, "Migrating from the original
 * ChefCloud API"): thin controllers over our services, marked deprecated in OpenAPI.
 */
@Module({ imports: [HealthModule], controllers: [CompatHealthController] })
export class CompatModule {}
