import { databaseErrorClass } from './database-error-class';

describe('databaseErrorClass', () => {
  it('is schema for SCHEMA_NOT_MIGRATED and null for errors that are not the database', () => {
    expect(databaseErrorClass('SCHEMA_NOT_MIGRATED', new Error('relation "x" does not exist'))).toBe('schema');
    expect(databaseErrorClass('CONFLICT', Object.assign(new Error('unique'), { code: 'P2002' }))).toBeNull();
    expect(databaseErrorClass('INTERNAL_ERROR', new Error('boom'))).toBeNull();
  });

  it('tells query and lock timeouts from an unreachable database', () => {
    const timeouts = [
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
      new Error('Query read timeout'),
      Object.assign(new Error('Timed out fetching a new connection from the connection pool'), { code: 'P2024' }),
      Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('x'), { code: '57014' }) }),
    ];
    for (const error of timeouts) expect(databaseErrorClass('DATABASE_UNAVAILABLE', error)).toBe('timeout');
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('timeout exceeded when trying to connect'),
      "Can't reach database server",
    ])
      expect(databaseErrorClass('DATABASE_UNAVAILABLE', error)).toBe('unavailable');
  });
});
