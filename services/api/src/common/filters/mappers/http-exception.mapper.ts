import { HttpException } from '@nestjs/common';
import { AppException } from '../../errors/app-exception';
import { codeForStatus } from '../../errors/error-codes';
import type { MappedError } from './mapped-error';

/**
 * HTTP exceptions. An AppException is already the envelope (with its headers). Any other
 * HttpException (Nest's own: an unknown route's 404, a ValidationPipe without our factory, …)
 * keeps its status and gets the status's generic code; an array of messages is a validation
 * failure (400 VALIDATION_FAILED with the messages as `details`).
 */
export function mapHttpException(exception: unknown): MappedError | undefined {
  if (exception instanceof AppException) {
    return {
      status: exception.getStatus(),
      body: exception.getResponse() as MappedError['body'],
      headers: exception.headers,
    };
  }
  if (!(exception instanceof HttpException)) return undefined;
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response !== 'object' || response === null) {
    return { status, body: { statusCode: status, code: codeForStatus(status), message: String(response) } };
  }
  const r = response as Record<string, unknown>;
  // A body that is already an envelope passes through.
  if (typeof r.code === 'string' && typeof r.statusCode === 'number') return { status, body: r as MappedError['body'] };
  const code = typeof r.code === 'string' ? r.code : undefined;
  if (Array.isArray(r.message)) {
    return {
      status,
      body: {
        statusCode: status,
        code: code ?? 'VALIDATION_FAILED',
        message: 'Request validation failed',
        details: r.message,
      },
    };
  }
  return {
    status,
    body: {
      statusCode: status,
      code: code ?? codeForStatus(status),
      message: String(r.message ?? exception.message),
      ...(r.details !== undefined ? { details: r.details } : {}),
    },
  };
}
