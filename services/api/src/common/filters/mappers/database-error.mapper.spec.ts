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
    expect(mapDatabaseError(prismaError('P2034'))).toBeUndefined();
    expect(mapDatabaseError(new Error('secret internals'))).toBeUndefined();
  });
});
