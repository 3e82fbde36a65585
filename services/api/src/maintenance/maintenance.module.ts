import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MaintenanceAdminService } from './maintenance-admin.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';
import { WriteBlockGuard } from './write-block.guard';

/** Maintenance windows and the global write block (a guard registered after the auth guards). */
@Module({
  controllers: [MaintenanceController],
  providers: [
    MaintenanceWindowsRepository,
    MaintenanceService,
    MaintenanceAdminService,
    { provide: APP_GUARD, useClass: WriteBlockGuard },
  ],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
