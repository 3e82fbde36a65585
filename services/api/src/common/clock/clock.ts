import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time source of every time-dependent rule (session expiry, maintenance windows). Tests
 * move time with `jest.spyOn(app.get(Clock), 'now')` instead of sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
