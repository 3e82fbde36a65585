import { Reflector } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';
import { bearerToken } from './jwt.strategy';
import { VerifiedTokenCache } from './verified-token-cache';
import type { SessionValidator } from '../sessions/session-validator';

describe('JwtAuthGuard.handleRequest', () => {
  const guard = new JwtAuthGuard(new Reflector(), new VerifiedTokenCache(), {
    validate: jest.fn(),
  } as unknown as SessionValidator);

  it('returns the verified user', () => {
    expect(guard.handleRequest(null, { userId: 'u1' }, undefined)).toEqual({ userId: 'u1' });
  });

  it('passes errors raised while checking the session through (database down → 503 later)', () => {
    const error = new Error('database down');
    expect(() => guard.handleRequest(error, false, undefined)).toThrow(error);
  });

  it.each([
    [Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' }), 'The access token has expired'],
    [new Error('No auth token'), 'A bearer token is required'],
    [Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' }), 'The access token is invalid'],
    [undefined, 'The access token is invalid'],
  ])('answers a missing or bad token with 401 (%s)', (info, message) => {
    expect(() => guard.handleRequest(null, false, info)).toThrow(
      expect.objectContaining({
        status: 401,
        response: expect.objectContaining({ code: 'UNAUTHORIZED', message }),
      }) as Error,
    );
  });
});

describe('bearerToken', () => {
  const token = 'aaa.bbb.ccc';
  it.each([
    [`Bearer ${token}`, token],
    [`bearer ${token}`, token],
    [`Bearer ${token} ${token}`, null],
    [`Bearer  ${token}`, null],
    ['Bearer aaa.bbb', null],
    ['Basic dXNlcjpwYXNz', null],
    [undefined, null],
  ])('%p → %p', (header, expected) => {
    expect(bearerToken({ headers: header === undefined ? {} : { authorization: header } })).toBe(expected);
  });
});
