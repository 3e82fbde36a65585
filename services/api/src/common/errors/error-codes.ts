/**
 * Every error code the API answers with, and its HTTP status: the one mapping from code to
 * status. Code that raises an error names only the code (`new AppException('NOT_FOUND', …)`); the
 * status comes from here, so a `404 VALIDATION_FAILED` cannot be written.
 *
 * Adding a code: add an entry (UPPER_SNAKE_CASE, a status, one line saying when it is used).
 * `generic: true` marks the one code used for a bare status (an HttpException Nest raises
 * itself, a body-parser failure, …); at most one per status (a unit test checks).
 */
export const ERROR_CODES = {
  // 400
  BAD_REQUEST: { status: 400, generic: true, description: 'Malformed request: bad JSON, hostile body, invalid value' },
  VALIDATION_FAILED: { status: 400, description: 'The body or query failed validation; `details` lists each field' },
  INVALID_CURSOR: {
    status: 400,
    description:
      'A `cursor` this list did not issue (malformed, tampered, or of another list), or `cursor` with `page`',
  },
  PAYMENT_CARD_REJECTED: {
    status: 400,
    description: 'A badge swipe carrying payment-card track data: refused, never looked up, logged or stored',
  },
  // 401
  UNAUTHORIZED: { status: 401, generic: true, description: 'Missing, invalid, expired or revoked bearer token' },
  INVALID_CREDENTIALS: { status: 401, description: 'Login with a wrong email or password (or an inactive user)' },
  // 403
  FORBIDDEN: { status: 403, generic: true, description: 'The caller may not do this' },
  INSUFFICIENT_ROLE: { status: 403, description: "The caller's role level is below the route's @Roles minimum" },
  PLATFORM_ADMIN_REQUIRED: { status: 403, description: 'Only L5 users of the platform org may change global settings' },
  // 404 … 429
  NOT_FOUND: { status: 404, generic: true, description: 'Unknown route or record (or one of another org)' },
  METHOD_NOT_ALLOWED: { status: 405, generic: true, description: 'The route does not accept this method' },
  CONFLICT: {
    status: 409,
    generic: true,
    description: 'A unique value is taken, or a related record is missing or in use',
  },
  TOO_MANY_OPEN_WINDOWS: {
    status: 409,
    description: 'The org (or the platform) already has MAINTENANCE_MAX_OPEN_WINDOWS windows scheduled or in force',
  },
  PAYLOAD_TOO_LARGE: { status: 413, generic: true, description: 'The body is larger than BODY_LIMIT' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    generic: true,
    description: 'A body that is not JSON, or an unsupported encoding',
  },
  UNPROCESSABLE_ENTITY: {
    status: 422,
    generic: true,
    description: 'The request is well-formed but cannot be processed',
  },
  TOO_MANY_REQUESTS: { status: 429, generic: true, description: 'Rate limited; see Retry-After' },
  TOO_MANY_ATTEMPTS: { status: 429, description: 'Login throttled (per IP or per account); see Retry-After' },
  // 500
  INTERNAL_ERROR: { status: 500, generic: true, description: 'A bug: details are logged, never sent' },
  // 503: expected states, always with Retry-After
  SERVICE_UNAVAILABLE: { status: 503, generic: true, description: 'The service cannot answer now' },
  MAINTENANCE: { status: 503, description: 'Writes are paused by a maintenance window; Retry-After = its end' },
  LOGIN_BUSY: {
    status: 503,
    description: 'Login shed: password checking is saturated (a spray); retry after Retry-After',
  },
  DATABASE_UNAVAILABLE: { status: 503, description: 'The database is unreachable or did not answer in time' },
  SCHEMA_NOT_MIGRATED: {
    status: 503,
    description: 'A table or column is missing: the schema is behind this release (db:deploy)',
  },
} as const satisfies Record<string, ErrorDefinition>;

export interface ErrorDefinition {
  /** The HTTP status every response with this code has. */
  status: number;
  /** The code used for a bare status (at most one per status). */
  generic?: boolean;
  /** When the code is used (README, OpenAPI). */
  description: string;
}

export type ErrorCode = keyof typeof ERROR_CODES;

/** The HTTP status of `code`. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

const GENERIC_CODE_BY_STATUS = new Map<number, ErrorCode>(
  (Object.keys(ERROR_CODES) as ErrorCode[])
    .filter((code) => (ERROR_CODES[code] as ErrorDefinition).generic)
    .map((code) => [statusOf(code), code]),
);

/**
 * The generic code of a bare status. A status the catalogue does not know (an HttpException
 * of a status the API never raises itself) keeps its status with `ERROR`, or `INTERNAL_ERROR` from 500 up.
 */
export function codeForStatus(status: number): ErrorCode | 'ERROR' {
  return GENERIC_CODE_BY_STATUS.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');
}
