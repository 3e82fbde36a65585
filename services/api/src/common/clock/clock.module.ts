import { Module } from '@nestjs/common';
import { Clock } from './clock';

/** Provides the one Clock; imported by the modules whose rules depend on time. */
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
