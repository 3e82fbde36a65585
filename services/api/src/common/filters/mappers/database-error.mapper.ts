import {
  isCheckViolationError,
  isDatabaseTimeoutError,
  isDatabaseUnavailableError,
  isMissingColumnError,
  isMissingTableError,
  isPermissionDeniedError,
  isTransientConflictError,
  missingColumnName,
  migrationCreatingTable,
  missingTableName,
  prismaErrorCode,
} from '@chefcloud/db';
import { mappedError, type MappedError } from './mapped-error';

/** Seconds a client should wait before retrying when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = '5';
/** Seconds a client should wait before retrying while the schema is behind (a deploy is migrating). */
export const SCHEMA_RETRY_AFTER_SECONDS = '30';

/**
 * The database: a missing table or column (the schema is behind this release) is 503
 * SCHEMA_NOT_MIGRATED naming it (and the migration that creates a table); an unreachable or
 * hung database, a lock or statement timeout (55P03, 57014, `Query read timeout`), an expired
 * transaction (P2028), a deadlock or serialization failure after its retry (40P01, 40001) and a
 * refused privilege (42501) are 503 DATABASE_UNAVAILABLE with Retry-After; a CHECK violation 409;
 * and Prisma's request errors their 4xx: unique (P2002) and foreign-key (P2003) violations 409,
 * a missing record (P2025, P2001) 404, a value invalid for its column 400.
 */
export function mapDatabaseError(exception: unknown): MappedError | undefined {
  if (isMissingTableError(exception)) return schemaNotMigrated(missingTableName(exception));
  if (isMissingColumnError(exception)) return columnMissing(missingColumnName(exception));
  if (
    isDatabaseUnavailableError(exception) ||
    // Locks held past the timeouts, a hung server, an expired transaction: the same on retry soon.
    isDatabaseTimeoutError(exception) ||
    // A deadlock or serialization failure still there after the one retry (PrismaService.transaction).
    isTransientConflictError(exception) ||
    // The database refused our role (a revoked grant): the instance cannot serve until an operator fixes it.
    isPermissionDeniedError(exception)
  ) {
    return mappedError('DATABASE_UNAVAILABLE', 'The database is unavailable; retry shortly.', {
      headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS },
    });
  }
  // A CHECK constraint: only a race can get a row past the API's own validation.
  if (isCheckViolationError(exception)) {
    return mappedError('CONFLICT', 'The record was changed by another request meanwhile; read it and retry');
  }
  switch (prismaErrorCode(exception)) {
    case 'P2002':
      return mappedError('CONFLICT', 'A record with the same unique value already exists');
    case 'P2003':
      return mappedError('CONFLICT', 'A related record does not exist or is still referenced');
    case 'P2025':
    case 'P2001':
      return mappedError('NOT_FOUND', 'Record not found');
    case 'P2000':
    case 'P2006':
    case 'P2007':
    case 'P2023':
      return mappedError('BAD_REQUEST', 'A value is invalid for its column');
    default:
      return undefined;
  }
}

/** 503 naming the missing column: a migration the build needs has not run (or was rolled back by hand). */
function columnMissing(column: string | undefined): MappedError {
  return mappedError(
    'SCHEMA_NOT_MIGRATED',
    `The database schema is behind this release${column ? ` (column ${column} is missing)` : ' (a column is missing)'}; run \`npm run db:deploy\` (prisma migrate deploy).`,
    { headers: { 'Retry-After': SCHEMA_RETRY_AFTER_SECONDS }, ...(column ? { details: { column } } : {}) },
  );
}

/** 503 naming the missing table and, from the migration history, the migration that creates it. */
function schemaNotMigrated(table: string | undefined): MappedError {
  const migration = table ? migrationCreatingTable(table) : null;
  return mappedError(
    'SCHEMA_NOT_MIGRATED',
    `The database schema is behind this release${table ? ` (table ${table} is missing)` : ''}` +
      `${migration ? `: migration ${migration} is not applied` : ''}; run \`npm run db:deploy\` (prisma migrate deploy).`,
    {
      headers: { 'Retry-After': SCHEMA_RETRY_AFTER_SECONDS },
      ...(migration ? { details: { table, pendingMigration: migration } } : {}),
    },
  );
}
