import { Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** The retention job (sessions and login_throttle rows past their keep time). */
@Module({ providers: [RetentionRepository, RetentionService], exports: [RetentionService] })
export class RetentionModule {}
