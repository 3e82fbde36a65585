/**
 * The one shape of every error body the API returns:
 *   { statusCode, code, message, requestId, details? }
 * `code` is a stable machine-readable name (VALIDATION_FAILED, UNAUTHORIZED, CONFLICT,
 * DATABASE_UNAVAILABLE, MAINTENANCE, ...); `message` is for humans; `details` carries
 * per-field validation messages and similar. Stack traces never appear.
 */
export interface ErrorEnvelope {
  statusCode: number;
  code: string;
  message: string;
  requestId?: string;
  details?: unknown;
  [extra: string]: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function defaultCodeFor(status: number): string {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');
}
