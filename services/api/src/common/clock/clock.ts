import { Injectable } from '@nestjs/common';

/**
 * The time source of every time-dependent rule (session expiry, maintenance windows, cache
 * lifetimes). Tests move time with `jest.spyOn(app.get(Clock), 'now')` instead of sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
