import { mapDatabaseError } from './database-error.mapper';

const prismaError = (code: string, message = 'x', meta?: Record<string, unknown>) =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta });

describe('mapDatabaseError', () => {
  it('maps a missing table to 503 SCHEMA_NOT_MIGRATED naming the table, the migration and the fix', () => {
    const missing = mapDatabaseError(
      prismaError('P2021', 'The table `public.feature_flags` does not exist in the current database.', {
        table: 'public.feature_flags',
      }),
    );
    expect(missing?.status).toBe(503);
    expect(missing?.body.code).toBe('SCHEMA_NOT_MIGRATED');
    expect(missing?.body.message).toContain('feature_flags');
    expect(missing?.body.message).toContain('db:deploy');
    expect(missing?.body.message).toContain('20251029222740_change_control');
    expect(missing?.body.details).toEqual({
      table: 'feature_flags',
      pendingMigration: '20251029222740_change_control',
    });
    expect(missing?.headers).toEqual({ 'Retry-After': '30' });
  });

  it('still answers 503 for a table no migration creates, without details', () => {
    const missing = mapDatabaseError(prismaError('P2021', 'gone', { table: 'public.not_ours' }));
    expect(missing?.status).toBe(503);
    expect(missing?.body.message).toContain('not_ours');
    expect(missing?.body.details).toBeUndefined();
  });

  it('maps a missing column (P2022: the migration adding it not applied) to 503 SCHEMA_NOT_MIGRATED, not 500', () => {
    const mapped = mapDatabaseError(
      prismaError('P2022', 'The column `users.job_role` does not exist in the current database.', {
        column: 'users.job_role',
      }),
    );
    expect(mapped).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '30' },
      body: { code: 'SCHEMA_NOT_MIGRATED' },
    });
    expect(mapped?.body.message).toContain('db:deploy');
  });

  it('maps an unreachable database to 503 DATABASE_UNAVAILABLE with Retry-After', () => {
    expect(mapDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({
      status: 503,
      body: { statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; retry shortly.' },
      headers: { 'Retry-After': '5' },
    });
  });

  it("maps Prisma's request errors to their 4xx", () => {
    expect(mapDatabaseError(prismaError('P2002'))?.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    expect(mapDatabaseError(prismaError('P2003'))?.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    expect(mapDatabaseError(prismaError('P2025'))?.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(mapDatabaseError(prismaError('P2001'))?.status).toBe(404);
    for (const code of ['P2000', 'P2006', 'P2007', 'P2023'])
      expect(mapDatabaseError(prismaError(code))?.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });

  it('ignores other Prisma codes and what is not a database error', () => {
    expect(mapDatabaseError(prismaError('P2030'))).toBeUndefined();
    expect(mapDatabaseError(new Error('secret internals'))).toBeUndefined();
  });

  const pg = (code: string, message: string) =>
    Object.assign(new Error(message), { name: 'DriverAdapterError', cause: { kind: 'postgres', code, message } });

  it.each([
    ['a statement timeout (57014)', pg('57014', 'canceling statement due to statement timeout')],
    ['a lock timeout (55P03)', pg('55P03', 'canceling statement due to lock timeout')],
    ['a hung database on an established connection', new Error('Query read timeout')],
    ['an expired interactive transaction (P2028)', prismaError('P2028', 'Transaction API error: expired transaction')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a deadlock after its retry (40P01)', pg('40P01', 'deadlock detected')],
    ['a serialization failure after its retry (40001)', pg('40001', 'could not serialize access')],
    ['a revoked privilege (42501)', pg('42501', 'permission denied for table users')],
  ])('maps %s to 503 DATABASE_UNAVAILABLE with Retry-After', (_name, error) => {
    expect(mapDatabaseError(error)).toMatchObject({
      status: 503,
      body: { code: 'DATABASE_UNAVAILABLE' },
      headers: { 'Retry-After': '5' },
    });
  });

  it('maps a missing column (P2022, 42703) to 503 SCHEMA_NOT_MIGRATED naming it', () => {
    const p2022 = mapDatabaseError(
      prismaError('P2022', 'The column `sessions.last_activity_at` does not exist', {
        column: 'sessions.last_activity_at',
      }),
    );
    expect(p2022).toMatchObject({
      status: 503,
      body: { code: 'SCHEMA_NOT_MIGRATED', details: { column: 'sessions.last_activity_at' } },
      headers: { 'Retry-After': '30' },
    });
    expect(p2022?.body.message).toContain('sessions.last_activity_at');
    const raw = mapDatabaseError(pg('42703', 'column "session_version" of relation "users" does not exist'));
    expect(raw).toMatchObject({ status: 503, body: { code: 'SCHEMA_NOT_MIGRATED' } });
    expect(raw?.body.message).toContain('users.session_version');
    expect(mapDatabaseError({ code: 'P2022' })?.body.message).toContain('a column is missing');
  });

  it('maps a CHECK violation (23514) to 409', () => {
    expect(mapDatabaseError(pg('23514', 'violates check constraint'))).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT' },
    });
  });
});
