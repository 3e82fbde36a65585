import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppException } from '../errors/app-exception';

/**
 * A route parameter that can only name an existing record if it has the record's id shape:
 * anything else (NUL bytes, SQL, 10 kB of text) is a 404 before any query runs.
 */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly pattern: RegExp = /^[A-Za-z0-9_-]{1,64}$/,
    private readonly what = 'Record',
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.pattern.test(value))
      throw new AppException('NOT_FOUND', `${this.what} not found`);
    return value;
  }
}
