import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

export type MetricsAccess = 'allowed' | 'not_found' | 'unauthorized';

/**
 * Who may read the metrics. Render exposes every path publicly, so:
 *  - METRICS_ENABLED=false: nobody (404, as for an unknown route);
 *  - METRICS_TOKEN set (any environment): only `Authorization: Bearer <token>` (else 401);
 *  - no token in production: nobody (404: the endpoint does not advertise itself);
 *  - no token outside production: everybody (local development, tests).
 */
export function metricsAccess(
  config: Pick<AppConfig, 'isProduction' | 'metrics'>,
  authorization: string | undefined,
): MetricsAccess {
  if (!config.metrics.enabled) return 'not_found';
  const token = config.metrics.token;
  if (token === null) return config.isProduction ? 'not_found' : 'allowed';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match && sameSecret(match[1], token) ? 'allowed' : 'unauthorized';
}

/** Constant-time comparison (the lengths may differ: a length mismatch is simply false). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
