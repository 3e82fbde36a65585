import { HttpException } from '@nestjs/common';
import type { ErrorEnvelope } from './error-envelope';
import { statusOf, type ErrorCode } from './error-codes';

export interface AppExceptionOptions {
  /** Per-field validation messages and similar (the envelope's `details`). */
  details?: unknown;
  /** Response headers: Retry-After, WWW-Authenticate. */
  headers?: Record<string, string>;
  /** Further top-level envelope fields (`window` of a MAINTENANCE 503, `retryAfterSeconds` of a 429). */
  extra?: Record<string, unknown>;
}

/**
 * The one error the API raises on purpose: a catalogued code (common/errors/error-codes.ts)
 * whose status comes from the catalogue, a message for humans and optional details and
 * headers. Its body is already the error envelope (minus requestId); the filter sends it as is.
 */
export class AppException extends HttpException {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppExceptionOptions = {}) {
    const status = statusOf(code);
    const body: Omit<ErrorEnvelope, 'requestId'> = {
      statusCode: status,
      code,
      message,
      ...(options.details !== undefined ? { details: options.details } : {}),
      ...options.extra,
    };
    super(body, status);
    this.name = 'AppException';
    this.code = code;
    this.headers = options.headers ?? {};
  }
}
