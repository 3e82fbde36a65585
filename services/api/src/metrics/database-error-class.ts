import type { DatabaseErrorClass } from './metrics.service';

/** Query-level timeouts: statement (57014) or lock (55P03) timeout, the driver's read timeout, Prisma's pool (P2024) and transaction (P2028) timeouts. */
const TIMEOUT_CODES = new Set(['57014', '55P03', 'P2024', 'P2028']);
const TIMEOUT_MESSAGES = /(statement timeout|lock timeout|query read timeout|timed out fetching a new connection)/i;

/**
 * The class of a request that failed because of the database, from the error code the filter
 * answered with and the error itself: `schema` (SCHEMA_NOT_MIGRATED), `timeout` (a query or
 * lock that took too long, a pool that had no connection in time) or `unavailable` (anything
 * else DATABASE_UNAVAILABLE: unreachable, refusing, restarting). Null for other errors.
 */
export function databaseErrorClass(code: string, error: unknown): DatabaseErrorClass | null {
  if (code === 'SCHEMA_NOT_MIGRATED') return 'schema';
  if (code !== 'DATABASE_UNAVAILABLE') return null;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code: c, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (TIMEOUT_CODES.has(String(c)) || TIMEOUT_MESSAGES.test(String(message ?? ''))) return 'timeout';
    e = cause;
  }
  return 'unavailable';
}
