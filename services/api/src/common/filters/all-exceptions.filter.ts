import { ArgumentsHost, Catch, Injectable, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { databaseErrorClass } from '../../metrics/database-error-class';
import { MetricsService } from '../../metrics/metrics.service';
import { mapBodyParsingError } from './mappers/body-parsing.mapper';
import { mapDatabaseError } from './mappers/database-error.mapper';
import { mapHttpException } from './mappers/http-exception.mapper';
import { mappedError, type ErrorMapper, type MappedError } from './mappers/mapped-error';

/** The sources of errors the API knows, asked in turn; the first that recognises a value maps it. */
export const ERROR_MAPPERS: readonly ErrorMapper[] = [mapHttpException, mapBodyParsingError, mapDatabaseError];

/** The challenge of a 401 that names none (a failed login): every 401 carries one (RFC 9110 §15.5.2). */
export const DEFAULT_CHALLENGE = 'Bearer realm="chefcloud"';

/**
 * Maps any thrown value to the error envelope. Known failures never become 500 (see the
 * mappers); anything no mapper recognises is a bug: 500 INTERNAL_ERROR, details only in the log.
 */
export function mapException(exception: unknown): MappedError {
  for (const map of ERROR_MAPPERS) {
    const mapped = map(exception);
    if (mapped) return withChallenge(mapped);
  }
  return mappedError('INTERNAL_ERROR', 'Internal server error');
}

function withChallenge(mapped: MappedError): MappedError {
  if (mapped.status !== 401 || mapped.headers?.['WWW-Authenticate']) return mapped;
  return { ...mapped, headers: { ...mapped.headers, 'WWW-Authenticate': DEFAULT_CHALLENGE } };
}

/**
 * The one exception filter: every error response is the envelope, with the request id. Requests
 * failed by the database are counted by class in chefcloud_db_errors_total.
 */
@Catch()
@Injectable()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly metrics: MetricsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, body, headers } = mapException(exception);
    const databaseError = databaseErrorClass(String(body.code), exception);
    if (databaseError) this.metrics.databaseError(databaseError);
    if (status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      const line = {
        err: { name: err.name, message: err.message, stack: status === 500 ? err.stack : undefined },
        requestId: req.id,
      };
      // 500 is a bug (error, with its stack); a 503 is an expected state (maintenance, the
      // database down or behind, a login shed): warn, so alerts on errors mean bugs.
      if (status === 500) this.logger.error(line, `${req.method} ${req.url} failed with ${status}`);
      else this.logger.warn(line, `${req.method} ${req.url} answered ${status} ${body.code}`);
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    const requestId = req.id !== undefined ? String(req.id) : undefined;
    res.status(status).json({ ...body, requestId });
  }
}
