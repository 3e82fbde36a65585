import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock/clock.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PlatformModule } from '../platform/platform.module';
import { MaintenanceAdminService } from './maintenance-admin.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/**
 * Maintenance windows and the check behind the write block (WriteBlockGuard, registered
 * globally after the auth guards by the app module: app.module.ts, GLOBAL_ENHANCERS).
 */
@Module({
  imports: [ClockModule, MetricsModule, PlatformModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceWindowsRepository, MaintenanceService, MaintenanceAdminService],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
