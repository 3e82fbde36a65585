import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';
import { requestError } from '../http/request-guards.middleware';
import { mapException } from './all-exceptions.filter';

const prismaError = (code: string, message = 'x', meta?: Record<string, unknown>) =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta });

describe('mapException', () => {
  it('keeps HttpException statuses, with validation messages as details', () => {
    expect(mapException(new ForbiddenException()).status).toBe(403);
    const v = mapException(new BadRequestException(['email must be an email']));
    expect(v.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed',
      details: ['email must be an email'],
    });
    expect(mapException(new ConflictException('taken')).body).toMatchObject({
      statusCode: 409,
      code: 'CONFLICT',
      message: 'taken',
    });
  });

  it('passes through a body that is already an envelope', () => {
    const body = { statusCode: 503, code: 'MAINTENANCE', message: 'down', window: { id: 'w' } };
    const mapped = mapException(new (class extends ConflictException {})(body));
    expect(mapped.body).toEqual(body);
  });

  it('maps Prisma P2002 → 409, P2025 → 404, P2021 → 503 naming the table and the fix', () => {
    expect(mapException(prismaError('P2002')).status).toBe(409);
    expect(mapException(prismaError('P2025')).status).toBe(404);
    const missing = mapException(
      prismaError('P2021', 'The table `public.feature_flags` does not exist in the current database.', {
        table: 'public.feature_flags',
      }),
    );
    expect(missing.status).toBe(503);
    expect(missing.body.code).toBe('SCHEMA_NOT_MIGRATED');
    expect(missing.body.message).toContain('feature_flags');
    expect(missing.body.message).toContain('db:deploy');
    expect(missing.body.message).toContain('20251029222740_change_control');
    expect(missing.body.details).toEqual({ table: 'feature_flags', pendingMigration: '20251029222740_change_control' });
    expect(missing.headers).toEqual({ 'Retry-After': '30' });
  });

  it('maps a missing column (P2022: a migration adding it not applied) to 503 SCHEMA_NOT_MIGRATED, not 500', () => {
    const mapped = mapException(
      prismaError('P2022', 'The column `users.job_role` does not exist in the current database.', {
        column: 'users.job_role',
      }),
    );
    expect(mapped).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '30' },
      body: { code: 'SCHEMA_NOT_MIGRATED' },
    });
    expect(mapped.body.message).toContain('db:deploy');
  });

  it('maps an unreachable database to 503 with Retry-After', () => {
    const mapped = mapException(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(mapped).toMatchObject({
      status: 503,
      body: { code: 'DATABASE_UNAVAILABLE' },
      headers: { 'Retry-After': '5' },
    });
  });

  it('maps body-parser failures to 4xx', () => {
    expect(
      mapException(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 })).body,
    ).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it("shows the request guards' own messages, never body-parser's (which can quote the input)", () => {
    expect(mapException(requestError(415, 'content-type.unsupported', 'Request bodies must be JSON')).body).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Request bodies must be JSON',
    });
    expect(
      mapException(
        Object.assign(new Error('Unexpected token s in JSON: {secret'), {
          type: 'entity.parse.failed',
          status: 400,
          expose: true,
        }),
      ).body.message,
    ).toBe('Malformed JSON body');
    expect(
      mapException(Object.assign(new Error('quoted {secret'), { type: 'some.other', status: 400, expose: true })).body
        .message,
    ).toBe('Bad request');
  });

  it('hides unknown errors behind a generic 500', () => {
    const mapped = mapException(new Error('secret internals'));
    expect(mapped).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' },
    });
  });
});
