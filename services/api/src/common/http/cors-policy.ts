import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { PAGINATION_HEADERS } from '../pagination/pagination-headers';

/** The API's CORS policy: what `enableCors` gets, and what answers given outside Express repeat. */
export interface CorsPolicy extends CorsOptions {
  /** The allowed browser origins (CORS_ORIGINS); false: no cross-origin access at all. */
  origin: string[] | false;
  exposedHeaders: string[];
}

export function corsPolicy(origins: readonly string[]): CorsPolicy {
  return {
    origin: origins.length ? [...origins] : false,
    credentials: true,
    methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
    // What the original ChefCloud web and desktop clients send, plus our own headers.
    allowedHeaders: [
      'Content-Type',
      'Authorization',
      'Accept',
      'X-Requested-With',
      'X-Idempotency-Key',
      'Idempotency-Key',
      'X-Client-Platform',
      'X-Org-Id',
      'X-Request-Id',
      'X-Maintenance-Bypass',
      'X-Bypass-Maintenance',
    ],
    // Readable by browser code: list paging, the request id of an error, and when to retry.
    exposedHeaders: [...PAGINATION_HEADERS, 'X-Request-Id', 'Retry-After'],
  };
}

/**
 * The headers the `cors` middleware (behind `enableCors`) puts on the answer to a simple
 * (non-preflight) request from `origin`, for answers given before Express (the login edge). A
 * test compares them with the app's own answers, so that the two cannot drift apart.
 */
export function simpleCorsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (policy.origin === false) return {};
  return {
    ...(origin !== undefined && policy.origin.includes(origin) ? { 'Access-Control-Allow-Origin': origin } : {}),
    Vary: 'Origin',
    ...(policy.credentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
    ...(policy.exposedHeaders.length ? { 'Access-Control-Expose-Headers': policy.exposedHeaders.join(',') } : {}),
  };
}
