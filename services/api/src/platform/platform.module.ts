import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock/clock.module';
import { OrgsRepository } from './orgs.repository';
import { PlatformAdminService } from './platform-admin.service';

/** Who the platform admins are (global maintenance windows and feature flags). */
@Module({ imports: [ClockModule], providers: [OrgsRepository, PlatformAdminService], exports: [PlatformAdminService] })
export class PlatformModule {}
