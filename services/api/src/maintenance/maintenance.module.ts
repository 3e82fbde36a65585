import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MaintenanceAdminService } from './maintenance-admin.service';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';
import { WriteBlockInterceptor } from './write-block.interceptor';

/** Maintenance windows and the global write block (an interceptor: it runs after authentication). */
@Module({
  controllers: [MaintenanceController],
  providers: [MaintenanceWindowsRepository, MaintenanceService, MaintenanceAdminService, { provide: APP_INTERCEPTOR, useClass: WriteBlockInterceptor }],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
