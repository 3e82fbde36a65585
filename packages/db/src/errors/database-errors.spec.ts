import {
  isCheckViolationError,
  isDatabaseTimeoutError,
  isDatabaseUnavailableError,
  isMissingColumnError,
  isMissingTableError,
  isPermissionDeniedError,
  isTransientConflictError,
  missingColumnName,
  missingTableName,
  prismaErrorCode,
} from './database-errors';

/** Shapes as they reach application code (see the module comment). */
function prismaKnownError(code: string, message: string, meta?: Record<string, unknown>) {
  return Object.assign(new Error(message), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta,
    clientVersion: '7.10.0',
  });
}

describe('isMissingTableError', () => {
  it('recognises Prisma P2021 from a model query', () => {
    const err = prismaKnownError(
      'P2021',
      'The table `public.maintenance_windows` does not exist in the current database.',
      {
        modelName: 'MaintenanceWindow',
        table: 'public.maintenance_windows',
      },
    );
    expect(isMissingTableError(err)).toBe(true);
    expect(isMissingTableError(err, 'maintenance_windows')).toBe(true);
    expect(isMissingTableError(err, 'feature_flags')).toBe(false);
    expect(missingTableName(err)).toBe('maintenance_windows');
  });

  it('recognises SQLSTATE 42P01 from the pg adapter (DriverAdapterError cause)', () => {
    const err = Object.assign(new Error('relation "flag_audits" does not exist'), {
      name: 'DriverAdapterError',
      cause: { kind: 'postgres', code: '42P01', severity: 'ERROR', message: 'relation "flag_audits" does not exist' },
    });
    expect(isMissingTableError(err)).toBe(true);
    expect(isMissingTableError(err, 'flag_audits')).toBe(true);
    expect(isMissingTableError(err, 'maintenance_windows')).toBe(false);
  });

  it('recognises a raw-query P2010 whose meta carries the PostgreSQL code', () => {
    const err = prismaKnownError(
      'P2010',
      'Raw query failed. Code: `42P01`. Message: `relation "maintenance_windows" does not exist`',
      {
        code: '42P01',
        message: 'relation "maintenance_windows" does not exist',
      },
    );
    expect(isMissingTableError(err, 'maintenance_windows')).toBe(true);
  });

  it('recognises the message alone (schema-qualified names too)', () => {
    expect(
      isMissingTableError(new Error('relation "public.maintenance_windows" does not exist'), 'maintenance_windows'),
    ).toBe(true);
    expect(
      isMissingTableError(new Error('The table `maintenance_windows` does not exist in the current database.')),
    ).toBe(true);
  });

  it('follows cause chains', () => {
    const inner = Object.assign(new Error('boom'), { code: '42P01' });
    expect(isMissingTableError(new Error('wrapped', { cause: inner }))).toBe(true);
  });

  it('rejects other errors', () => {
    expect(isMissingTableError(prismaKnownError('P2002', 'Unique constraint failed'))).toBe(false);
    expect(isMissingTableError(new Error('column "foo" does not exist'))).toBe(false);
    expect(isMissingTableError(undefined)).toBe(false);
    expect(isMissingTableError('relation "x" does not exist')).toBe(false);
  });
});

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['Prisma P1001', prismaKnownError('P1001', "Can't reach database server")],
    ['pool timeout P2024', prismaKnownError('P2024', 'Timed out fetching a new connection from the connection pool')],
    ['socket refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['adapter kind', Object.assign(new Error('x'), { cause: { kind: 'DatabaseNotReachable' } })],
    [
      'admin shutdown',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['pg connect timeout', new Error('timeout exceeded when trying to connect')],
    ['initialisation', Object.assign(new Error('init'), { name: 'PrismaClientInitializationError' })],
  ])('recognises %s', (_label, err) => {
    expect(isDatabaseUnavailableError(err)).toBe(true);
  });

  it('rejects query errors', () => {
    expect(isDatabaseUnavailableError(prismaKnownError('P2002', 'Unique constraint failed'))).toBe(false);
    expect(isDatabaseUnavailableError(new Error('relation "x" does not exist'))).toBe(false);
  });
});

describe('prismaErrorCode', () => {
  it('returns the first Prisma code in the chain', () => {
    expect(prismaErrorCode(prismaKnownError('P2025', 'not found'))).toBe('P2025');
    expect(prismaErrorCode(new Error('x', { cause: prismaKnownError('P2002', 'dup') }))).toBe('P2002');
    expect(prismaErrorCode(Object.assign(new Error('x'), { code: '42P01' }))).toBeUndefined();
  });
});

describe('timeouts, conflicts, missing columns, permissions', () => {
  const adapter = (code: string, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), {
      name: 'DriverAdapterError',
      cause: { kind: 'postgres', code, severity: 'ERROR', message, ...extra },
    });

  it.each([
    ['a statement timeout (57014)', adapter('57014', 'canceling statement due to statement timeout')],
    ['a lock timeout (55P03)', adapter('55P03', 'canceling statement due to lock timeout')],
    ["the driver's Query read timeout", Object.assign(new Error('Query read timeout'), { name: 'Error' })],
    [
      'an expired interactive transaction (P2028)',
      prismaKnownError('P2028', 'Transaction API error: Transaction already closed: expired transaction'),
    ],
    ['a transaction that could not start', new Error('Unable to start a transaction in the given time.')],
  ])('recognises %s as a timeout', (_name, err) => {
    expect(isDatabaseTimeoutError(err)).toBe(true);
    expect(isMissingTableError(err)).toBe(false);
  });

  it('recognises deadlocks and serialization failures as transient conflicts', () => {
    expect(isTransientConflictError(adapter('40P01', 'deadlock detected'))).toBe(true);
    expect(isTransientConflictError(adapter('40001', 'could not serialize access'))).toBe(true);
    expect(isTransientConflictError({ cause: { kind: 'TransactionWriteConflict' } })).toBe(true);
    expect(isTransientConflictError(prismaKnownError('P2034', 'write conflict or a deadlock'))).toBe(true);
    expect(isTransientConflictError(adapter('57014', 'canceling statement'))).toBe(false);
  });

  it('recognises a missing column (P2022, 42703, ColumnNotFound) and names it', () => {
    const p2022 = prismaKnownError('P2022', 'The column `sessions.last_activity_at` does not exist', {
      column: 'sessions.last_activity_at',
    });
    expect(isMissingColumnError(p2022)).toBe(true);
    expect(missingColumnName(p2022)).toBe('sessions.last_activity_at');
    const raw = adapter('42703', 'column "session_version" of relation "users" does not exist');
    expect(isMissingColumnError(raw)).toBe(true);
    expect(missingColumnName(raw)).toBe('users.session_version');
    const kind = { cause: { kind: 'ColumnNotFound', column: 'users.session_version' } };
    expect(isMissingColumnError(kind)).toBe(true);
    expect(missingColumnName(kind)).toBe('users.session_version');
    expect(missingColumnName(new Error('nothing'))).toBeUndefined();
    expect(isMissingTableError(raw)).toBe(false);
  });

  it('recognises insufficient privilege (42501) and CHECK violations (23514)', () => {
    expect(isPermissionDeniedError(adapter('42501', 'permission denied for table users'))).toBe(true);
    expect(isPermissionDeniedError(new Error('permission denied for table users'))).toBe(true);
    expect(isPermissionDeniedError(adapter('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isCheckViolationError(adapter('23514', 'violates check constraint'))).toBe(true);
  });
});

describe('isMissingColumnError', () => {
  it('recognises P2022, SQLSTATE 42703 and the message, optionally for one column', () => {
    const prisma = Object.assign(new Error('The column `users.job_role` does not exist in the current database.'), {
      code: 'P2022',
      meta: { column: 'users.job_role' },
    });
    expect(isMissingColumnError(prisma)).toBe(true);
    expect(isMissingColumnError(prisma, 'job_role')).toBe(true);
    expect(isMissingColumnError(prisma, 'other')).toBe(false);
    const adapter = { message: 'x', cause: { kind: 'ColumnNotFound', column: 'job_role' } };
    expect(isMissingColumnError(adapter, 'job_role')).toBe(true);
    const pg = { code: '42703', message: 'column "job_role" does not exist' };
    expect(isMissingColumnError(pg, 'job_role')).toBe(true);
    expect(isMissingColumnError(new Error('relation "x" does not exist'))).toBe(false);
    expect(isMissingColumnError(null)).toBe(false);
  });
});
