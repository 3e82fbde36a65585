/**
 * The one shape of every error body the API returns:
 *   { statusCode, code, message, requestId, details? }
 * `code` is a stable machine-readable name from the catalogue (error-codes.ts: VALIDATION_FAILED,
 * UNAUTHORIZED, CONFLICT, DATABASE_UNAVAILABLE, MAINTENANCE, ...); `message` is for humans;
 * `details` carries per-field validation messages and similar. Stack traces never appear.
 */
export interface ErrorEnvelope {
  statusCode: number;
  code: string;
  message: string;
  requestId?: string;
  details?: unknown;
  [extra: string]: unknown;
}
