import { HttpException } from '@nestjs/common';
import type { ErrorEnvelope } from './error-envelope';

/**
 * An HttpException whose body is already the error envelope (minus requestId), optionally
 * with response headers (Retry-After, WWW-Authenticate). The global filter sends it as is.
 */
export class ApiException extends HttpException {
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    const body: Omit<ErrorEnvelope, 'requestId'> = {
      statusCode: status,
      code,
      message,
      ...(options.details !== undefined ? { details: options.details } : {}),
      ...options.extra,
    };
    super(body, status);
    this.headers = options.headers ?? {};
  }
}
