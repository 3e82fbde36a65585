/**
 * Recognising database failures that the API must not turn into HTTP 500s.
 *
 * Errors reach application code in several shapes, depending on the path they took:
 *  - PrismaClientKnownRequestError with a Prisma code (P2021 "table does not exist",
 *    P1001 "can't reach database server", ...) from model queries;
 *  - the same error class with code P2010 and `meta.code` set to the PostgreSQL SQLSTATE
 *    from raw queries;
 *  - DriverAdapterError from @prisma/adapter-pg, whose `cause` carries
 *    `{ kind: 'postgres', code: '42P01', message: 'relation "x" does not exist' }`
 *    or a connection-level kind;
 *  - plain `pg` errors (`code: '42P01'`, `code: 'ECONNREFUSED'`) when pg is used directly.
 * The helpers below look through all of them, following `cause` chains.
 */

type ErrorLike = {
  code?: unknown;
  message?: unknown;
  meta?: unknown;
  cause?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  name?: unknown;
  column?: unknown;
};

function* errorChain(err: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    yield current as ErrorLike;
    const e = current as ErrorLike;
    if (e.meta && typeof e.meta === 'object') {
      const meta = e.meta as Record<string, unknown>;
      if (meta.driverAdapterError) yield* errorChain(meta.driverAdapterError);
      if (typeof meta.code === 'string' || typeof meta.message === 'string') yield meta as ErrorLike;
    }
    current = e.cause;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// Not "column x of relation y does not exist": that is a missing column, the table exists.
const MISSING_RELATION = /(?<!of )relation "?([\w.]+)"? does not exist/i;
const MISSING_TABLE_PRISMA = /table `?([\w.]+)`? does not exist/i;

/** The missing table's name, as far as the error tells it (schema prefix removed). */
export function missingTableName(err: unknown): string | undefined {
  for (const e of errorChain(err)) {
    const meta = (e.meta && typeof e.meta === 'object' ? e.meta : {}) as Record<string, unknown>;
    if (typeof meta.table === 'string') return meta.table.split('.').pop();
    const message = text(e.message);
    const m = MISSING_RELATION.exec(message) ?? MISSING_TABLE_PRISMA.exec(message);
    if (m?.[1]) return m[1].split('.').pop();
  }
  return undefined;
}

/**
 * True when `err` says a table does not exist: Prisma P2021, PostgreSQL SQLSTATE 42P01, or
 * the "relation ... does not exist" message. With `table`, only when that table is named
 * (or when the error names no table at all but is clearly a missing-table error).
 */
export function isMissingTableError(err: unknown, table?: string): boolean {
  let matched = false;
  for (const e of errorChain(err)) {
    const code = text(e.code) || text(e.originalCode);
    const message = text(e.message);
    if (
      code === 'P2021' ||
      code === '42P01' ||
      e.kind === 'TableDoesNotExist' ||
      MISSING_RELATION.test(message) ||
      MISSING_TABLE_PRISMA.test(message)
    ) {
      matched = true;
      break;
    }
  }
  if (!matched) return false;
  if (!table) return true;
  const name = missingTableName(err);
  return name === undefined || name === table;
}

const CONNECTION_CODES = new Set([
  // Prisma: can't reach server, timed out, server closed the connection, pool timeout
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  // PostgreSQL: connection exceptions, server shutting down, too many connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Node.js sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

const CONNECTION_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseUnavailable',
  'SocketTimeout',
  'ConnectionClosed',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);

const CONNECTION_MESSAGES =
  /(connection terminated|connect ECONNREFUSED|connection refused|can't reach database server|timeout exceeded when trying to connect|Connection terminated unexpectedly|the database system is (shutting down|starting up)|terminating connection due to administrator command|Client has encountered a connection error)/i;

/** True when `err` means the database cannot be reached right now (HTTP 503, not 500). */
export function isDatabaseUnavailableError(err: unknown): boolean {
  for (const e of errorChain(err)) {
    const code = text(e.code) || text(e.originalCode);
    if (CONNECTION_CODES.has(code)) return true;
    if (typeof e.kind === 'string' && CONNECTION_KINDS.has(e.kind)) return true;
    if (e.name === 'PrismaClientInitializationError') return true;
    if (CONNECTION_MESSAGES.test(text(e.message))) return true;
  }
  return false;
}

/** The Prisma error code (P2002, P2025, ...) if `err` carries one. */
export function prismaErrorCode(err: unknown): string | undefined {
  for (const e of errorChain(err)) {
    const code = text(e.code);
    if (/^P\d{4}$/.test(code)) return code;
  }
  return undefined;
}

/** Any code the error chain carries (Prisma code, SQLSTATE, Node code), for the sets below. */
function hasCode(err: unknown, codes: ReadonlySet<string>, kinds: ReadonlySet<string> = new Set()): boolean {
  for (const e of errorChain(err)) {
    const code = text(e.code) || text(e.originalCode);
    if (codes.has(code)) return true;
    if (typeof e.kind === 'string' && kinds.has(e.kind)) return true;
  }
  return false;
}

const TIMEOUT_CODES = new Set([
  // PostgreSQL: statement timeout or cancel, lock timeout (lock_not_available)
  '57014',
  '55P03',
  // Prisma: transaction API error (could not start in maxWait, expired after timeout, already closed)
  'P2028',
]);
const TIMEOUT_MESSAGES =
  /(Query read timeout|canceling statement due to (statement|lock) timeout|could not obtain lock|Unable to start a transaction in the given time|Transaction already closed|expired transaction|Transaction API error)/i;

/**
 * True when the database did not answer in time on an established connection: a statement or
 * lock timeout (57014, 55P03), the driver's `Query read timeout` (a hung server), or a Prisma
 * interactive transaction that could not start or expired (P2028). An expected state under
 * locks or a hang (503), never a bug.
 */
export function isDatabaseTimeoutError(err: unknown): boolean {
  if (hasCode(err, TIMEOUT_CODES)) return true;
  for (const e of errorChain(err)) if (TIMEOUT_MESSAGES.test(text(e.message))) return true;
  return false;
}

/** A deadlock (40P01) or serialization failure (40001, Prisma P2034): the same work may succeed if retried. */
export function isTransientConflictError(err: unknown): boolean {
  return hasCode(err, new Set(['40P01', '40001', 'P2034']), new Set(['TransactionWriteConflict']));
}

// `column "x" does not exist`, `column "x" of relation "t" does not exist`, Prisma's `column `t.x``.
const MISSING_COLUMN = /column [`"]?([\w.]+)[`"]? (of relation [`"]?(\w+)[`"]? )?does not exist/i;

/**
 * True when `err` says a column does not exist (Prisma P2022, PostgreSQL SQLSTATE 42703): the
 * database is behind the release by a migration that added a column. With `column`, only when
 * the error names that column (the table prefix ignored) or names none.
 */
export function isMissingColumnError(err: unknown, column?: string): boolean {
  for (const e of errorChain(err)) {
    const code = text(e.code) || text(e.originalCode);
    const message = text(e.message);
    const m = MISSING_COLUMN.exec(message);
    if (code === 'P2022' || code === '42703' || e.kind === 'ColumnNotFound' || m) {
      if (!column) return true;
      const meta = (e.meta && typeof e.meta === 'object' ? e.meta : {}) as Record<string, unknown>;
      const named =
        (typeof meta.column === 'string' ? meta.column : undefined) ??
        (typeof e.column === 'string' ? e.column : undefined) ??
        m?.[1];
      return named === undefined || named.split('.').pop() === column;
    }
  }
  return false;
}

/** The missing column (`table.column` or `column`), as far as the error tells it. */
export function missingColumnName(err: unknown): string | undefined {
  for (const e of errorChain(err)) {
    const meta = (e.meta && typeof e.meta === 'object' ? e.meta : {}) as Record<string, unknown>;
    if (typeof meta.column === 'string') return meta.column;
    const column = (e as { column?: unknown }).column;
    if (e.kind === 'ColumnNotFound' && typeof column === 'string') return column;
    const m = MISSING_COLUMN.exec(text(e.message));
    if (m?.[1]) return m[3] ? `${m[3]}.${m[1]}` : m[1];
  }
  return undefined;
}

/** The database refused the API's role (42501 insufficient_privilege): a deploy or grant problem, 503. */
export function isPermissionDeniedError(err: unknown): boolean {
  if (hasCode(err, new Set(['42501']))) return true;
  for (const e of errorChain(err)) if (/permission denied for/i.test(text(e.message))) return true;
  return false;
}

/** A CHECK constraint refused a row (23514): only a race can get past the API's own validation. */
export function isCheckViolationError(err: unknown): boolean {
  return hasCode(err, new Set(['23514']));
}
