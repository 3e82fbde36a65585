import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A strict ISO 8601 date-time with an offset (`2026-11-26T02:00:00Z`), turned into a Date.
 * Anything else — numbers, `"1"`, `"2026-13-45T..."`, dates without a zone — is a 400.
 */
export function IsoDateTime(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return value;
      const [year, month, day] = value.slice(0, 10).split('-').map(Number);
      const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const date = new Date(value);
      // V8 rolls 2026-02-30 over to March 2; refuse impossible days instead.
      // Years outside 1970–9999 are typos, not schedules (and year 0 does not exist in PostgreSQL).
      // Both the written year and the instant's UTC year: 9999-12-31T20:00:00-23:00 is year 10000.
      return Number.isNaN(date.getTime()) ||
        year < 1970 ||
        year > 9999 ||
        date.getUTCFullYear() < 1970 ||
        date.getUTCFullYear() > 9999 ||
        month < 1 ||
        month > 12 ||
        day < 1 ||
        day > daysInMonth
        ? value
        : date;
    }),
    IsDate({ message: `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-26T02:00:00Z` }),
  );
}
