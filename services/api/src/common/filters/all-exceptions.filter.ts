import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  isDatabaseUnavailableError,
  isMissingColumnError,
  isMissingTableError,
  migrationCreatingTable,
  missingTableName,
  prismaErrorCode,
} from '@chefcloud/db';
import { ApiException } from '../errors/api-exception';
import { defaultCodeFor, type ErrorEnvelope } from '../errors/error-envelope';

interface Mapped {
  status: number;
  body: Omit<ErrorEnvelope, 'requestId'>;
  headers?: Record<string, string>;
}

/** Seconds a client should wait before retrying when the database is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = '5';

/**
 * Maps any thrown value to the error envelope. Known failures never become 500:
 * HttpExceptions keep their status; body-parser failures are 400/413/415; Prisma P2002 → 409,
 * P2025 → 404, P2021 (missing table: migrations not applied) → 503, database unreachable → 503.
 */
export function mapException(exception: unknown): Mapped {
  if (exception instanceof ApiException) {
    return {
      status: exception.getStatus(),
      body: exception.getResponse() as Omit<ErrorEnvelope, 'requestId'>,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null) {
      const r = response as Record<string, unknown>;
      if (typeof r.code === 'string' && typeof r.statusCode === 'number') {
        return { status, body: r as Omit<ErrorEnvelope, 'requestId'> };
      }
      const message = Array.isArray(r.message) ? 'Request validation failed' : String(r.message ?? exception.message);
      return {
        status,
        body: {
          statusCode: status,
          code:
            typeof r.code === 'string'
              ? r.code
              : Array.isArray(r.message)
                ? 'VALIDATION_FAILED'
                : defaultCodeFor(status),
          message,
          ...(Array.isArray(r.message)
            ? { details: r.message }
            : r.details !== undefined
              ? { details: r.details }
              : {}),
        },
      };
    }
    return { status, body: { statusCode: status, code: defaultCodeFor(status), message: String(response) } };
  }

  // Errors raised by body-parser before any handler runs (malformed JSON, oversized body, ...).
  const e = exception as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  if (
    e &&
    typeof e === 'object' &&
    typeof e.type === 'string' &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  ) {
    const status = e.status;
    const messages: Record<string, string> = {
      'entity.parse.failed': 'Malformed JSON body',
      'entity.too.large': 'Request body is too large',
      'encoding.unsupported': 'Unsupported content encoding',
      'charset.unsupported': 'Unsupported charset',
      'request.aborted': 'Request aborted',
    };
    // body-parser's own messages can quote the input ("Unexpected token ... in JSON"), so they get
    // a fixed text; our request guards (common/http) mark theirs as safe to show.
    const own =
      (e as { chefcloud?: boolean }).chefcloud === true && exception instanceof Error ? exception.message : undefined;
    return {
      status,
      body: { statusCode: status, code: defaultCodeFor(status), message: messages[e.type] ?? own ?? 'Bad request' },
    };
  }

  if (isMissingTableError(exception)) {
    const table = missingTableName(exception);
    const migration = table ? migrationCreatingTable(table) : null;
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      headers: { 'Retry-After': '30' },
      body: {
        statusCode: 503,
        code: 'SCHEMA_NOT_MIGRATED',
        message:
          `The database schema is behind this release${table ? ` (table ${table} is missing)` : ''}` +
          `${migration ? `: migration ${migration} is not applied` : ''}; run \`npm run db:deploy\` (prisma migrate deploy).`,
        ...(migration ? { details: { table, pendingMigration: migration } } : {}),
      },
    };
  }
  if (isMissingColumnError(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      headers: { 'Retry-After': '30' },
      body: {
        statusCode: 503,
        code: 'SCHEMA_NOT_MIGRATED',
        message:
          'The database schema is behind this release (a column is missing); run `npm run db:deploy` (prisma migrate deploy).',
      },
    };
  }
  if (isDatabaseUnavailableError(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS },
      body: { statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; retry shortly.' },
    };
  }
  switch (prismaErrorCode(exception)) {
    case 'P2002':
      return {
        status: 409,
        body: { statusCode: 409, code: 'CONFLICT', message: 'A record with the same unique value already exists' },
      };
    case 'P2025':
    case 'P2001':
      return { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'Record not found' } };
    case 'P2003':
      return {
        status: 409,
        body: { statusCode: 409, code: 'CONFLICT', message: 'A related record does not exist or is still referenced' },
      };
    case 'P2000':
    case 'P2006':
    case 'P2007':
    case 'P2023':
      return {
        status: 400,
        body: { statusCode: 400, code: 'BAD_REQUEST', message: 'A value is invalid for its column' },
      };
    default:
      return { status: 500, body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' } };
  }
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const { status, body, headers } = mapException(exception);
    if (status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        {
          err: { name: err.name, message: err.message, stack: status === 500 ? err.stack : undefined },
          requestId: req.id,
        },
        `${req.method} ${req.url} failed with ${status}`,
      );
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    const requestId = req.id !== undefined ? String(req.id) : undefined;
    res.status(status).json({ ...body, requestId });
  }
}
