import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock/clock.module';
import { PlatformAdminService } from './platform-admin.service';

/** Who the platform admins are (global maintenance windows and feature flags). */
@Module({ imports: [ClockModule], providers: [PlatformAdminService], exports: [PlatformAdminService] })
export class PlatformModule {}
