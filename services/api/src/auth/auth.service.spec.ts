import type { MetricsService } from '../metrics/metrics.service';
import { JwtService } from '@nestjs/jwt';
import type { Session, User } from '@chefcloud/db';
import { AppException } from '../common/errors/app-exception';
import type { UsersRepository } from '../users/users.repository';
import { AuthService } from './auth.service';
import type { AuthUser } from './auth.types';
import { HashingBusyError, type PasswordHasher } from './passwords/password-hasher';
import type { SessionValidator } from './sessions/session-validator';
import type { SessionsRepository } from './sessions/sessions.repository';
import { accountKey, type LoginThrottleService } from './throttle/login-throttle.service';

const NOW = new Date('2026-11-25T12:00:00Z');
const user: User = {
  id: 'u1',
  orgId: 'o1',
  branchId: 'b1',
  email: 'manager@demo-bistro.test',
  passwordHash: '$2b$04$hash',
  firstName: 'Marco',
  lastName: 'Manager',
  roleLevel: 'L4',
  jobRole: 'MANAGER',
  isActive: true,
  sessionVersion: 3,
  createdAt: NOW,
  updatedAt: NOW,
};

function setup(overrides: { user?: User | null; passwordOk?: boolean; needsRehash?: boolean } = {}) {
  const users = {
    findByEmail: jest.fn().mockResolvedValue(overrides.user === undefined ? user : overrides.user),
    findById: jest.fn().mockResolvedValue(user),
    sampleHashCosts: jest.fn().mockResolvedValue([12, 12, 10]),
    replacePasswordHash: jest.fn().mockResolvedValue(true),
  };
  const sessions = {
    create: jest.fn((input: { expiresAt: Date; platform: string }) =>
      Promise.resolve({ id: 's1', jti: 'j1', platform: input.platform, expiresAt: input.expiresAt } as Session),
    ),
    revoke: jest.fn().mockResolvedValue(true),
    revokeAllForUser: jest.fn().mockResolvedValue(4),
    listActive: jest.fn().mockResolvedValue([]),
  };
  const validator = { forget: jest.fn(), forgetUser: jest.fn() };
  const hasher = {
    verify: jest
      .fn()
      .mockResolvedValue({ ok: overrides.passwordOk ?? true, needsRehash: overrides.needsRehash ?? false }),
    hash: jest.fn().mockResolvedValue('$2b$10$new'),
    noteStoredCosts: jest.fn(),
    admit: jest.fn(<T>(login: () => Promise<T>) => login()),
  };
  const reservation = { attempt: { account: 'account:x', ip: '203.0.113.5' } };
  const throttle = {
    reserve: jest.fn().mockResolvedValue(reservation),
    succeeded: jest.fn().mockResolvedValue(undefined),
    failed: jest.fn().mockResolvedValue(undefined),
    notEvaluated: jest.fn().mockResolvedValue(undefined),
  };
  const jwt = new JwtService({ secret: 's'.repeat(40) });
  const metrics = { loginAttempt: jest.fn() };
  const service = new AuthService(
    users as unknown as UsersRepository,
    sessions as unknown as SessionsRepository,
    validator as unknown as SessionValidator,
    hasher as unknown as PasswordHasher,
    throttle as unknown as LoginThrottleService,
    jwt,
    { jwt: { secret: 's'.repeat(40), secretGenerated: false, ttlSeconds: 100, deviceTtlSeconds: 200 } },
    { now: () => NOW },
    metrics as unknown as MetricsService,
  );
  return { service, users, sessions, validator, hasher, throttle, jwt, reservation, metrics };
}

const ctx = { ip: '203.0.113.5', userAgent: 'jest' };

describe('AuthService.login', () => {
  it('issues an HS256 token with sub, orgId, roleLevel, sid, sv and jti, and opens a session', async () => {
    const { service, sessions, jwt, throttle, reservation } = setup();
    const result = await service.login({ email: ' Manager@Demo-Bistro.test ', password: 'pw' }, ctx);
    expect(throttle.reserve).toHaveBeenCalledWith({
      account: accountKey('manager@demo-bistro.test'),
      ip: '203.0.113.5',
    });
    expect(sessions.create).toHaveBeenCalledWith({
      userId: 'u1',
      orgId: 'o1',
      platform: 'WEB_BACKOFFICE',
      expiresAt: new Date(NOW.getTime() + 100_000),
      ip: '203.0.113.5',
      userAgent: 'jest',
    });
    expect(result).toMatchObject({
      token_type: 'Bearer',
      expires_in: 100,
      user: { id: 'u1', roleLevel: 'L4', jobRole: 'MANAGER', orgId: 'o1', branchId: 'b1' },
      session: { id: 's1' },
    });
    expect(result.user).not.toHaveProperty('passwordHash');
    const claims = jwt.verify<Record<string, unknown>>(result.access_token, {
      algorithms: ['HS256'],
      audience: 'chefcloud',
      issuer: 'chefcloud-api',
    });
    expect(claims).toMatchObject({ sub: 'u1', orgId: 'o1', roleLevel: 'L4', sid: 's1', sv: 3, jti: 'j1' });
    expect(throttle.succeeded).toHaveBeenCalledWith(reservation);
  });

  it('uses the device lifetime for POS and KDS sessions', async () => {
    const { service } = setup();
    await expect(
      service.login({ email: user.email, password: 'pw', platform: 'POS_DESKTOP' }, ctx),
    ).resolves.toMatchObject({ expires_in: 200 });
    await expect(
      service.login({ email: user.email, password: 'pw', platform: 'KDS_SCREEN' }, ctx),
    ).resolves.toMatchObject({ expires_in: 200 });
    await expect(
      service.login({ email: user.email, password: 'pw', platform: 'MOBILE_APP' }, ctx),
    ).resolves.toMatchObject({ expires_in: 100 });
  });

  it.each([
    ['an unknown email', { user: null }],
    ['a wrong password', { passwordOk: false }],
    ['an inactive user', { user: { ...user, isActive: false } }],
  ])('refuses %s with the same 401 after one password check', async (_name, overrides) => {
    const { service, hasher, throttle, sessions, reservation, metrics } = setup(overrides);
    const error = await service.login({ email: user.email, password: 'pw' }, ctx).catch((e: unknown) => e);
    expect(metrics.loginAttempt).toHaveBeenCalledWith('password', 'invalid');
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).getStatus()).toBe(401);
    expect((error as AppException).getResponse()).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Invalid email or password',
    });
    expect(hasher.verify).toHaveBeenCalledTimes(1);
    expect(throttle.failed).toHaveBeenCalledWith(reservation);
    expect(throttle.succeeded).not.toHaveBeenCalled();
    expect(sessions.create).not.toHaveBeenCalled();
  });

  it('compares against the dummy hash when the email is unknown, after sampling the stored costs once', async () => {
    const { service, hasher, users } = setup({ user: null });
    await service.login({ email: 'x@y.test', password: 'pw' }, ctx).catch(() => undefined);
    await service.login({ email: 'z@y.test', password: 'pw' }, ctx).catch(() => undefined);
    expect(hasher.verify).toHaveBeenCalledWith('pw', undefined);
    expect(users.sampleHashCosts).toHaveBeenCalledTimes(1);
    expect(hasher.noteStoredCosts).toHaveBeenCalledWith([12, 12, 10]);
  });

  it('samples again later when sampling the stored costs failed', async () => {
    const { service, users } = setup({ user: null });
    users.sampleHashCosts.mockRejectedValueOnce(new Error('db down'));
    await service.login({ email: 'x@y.test', password: 'pw' }, ctx).catch(() => undefined);
    await service.login({ email: 'x@y.test', password: 'pw' }, ctx).catch(() => undefined);
    expect(users.sampleHashCosts).toHaveBeenCalledTimes(2);
  });

  it('does not look the user up when throttled (counted as throttled)', async () => {
    const { service, throttle, users, metrics } = setup();
    throttle.reserve.mockRejectedValue(new AppException('TOO_MANY_ATTEMPTS', 'slow down'));
    await expect(service.login({ email: user.email, password: 'pw' }, ctx)).rejects.toMatchObject({ status: 429 });
    expect(users.findByEmail).not.toHaveBeenCalled();
    expect(metrics.loginAttempt).toHaveBeenCalledWith('password', 'throttled');
  });

  it('counts a successful login', async () => {
    const { service, metrics } = setup();
    await service.login({ email: user.email, password: 'pw' }, ctx);
    expect(metrics.loginAttempt).toHaveBeenCalledWith('password', 'success');
  });

  it('answers 503 LOGIN_BUSY with Retry-After when hashing is saturated, and gives the reservation back', async () => {
    const { service, hasher, throttle, reservation } = setup();
    hasher.verify.mockRejectedValue(new HashingBusyError(3));
    const error = await service.login({ email: user.email, password: 'pw' }, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, headers: { 'Retry-After': '3' } });
    expect((error as AppException).getResponse()).toMatchObject({ code: 'LOGIN_BUSY' });
    expect(throttle.notEvaluated).toHaveBeenCalledWith(reservation);
  });

  it('sheds a login refused at admission with 503 LOGIN_BUSY before any throttle or database work', async () => {
    const { service, hasher, throttle, users, metrics } = setup();
    hasher.admit.mockRejectedValue(new HashingBusyError(2));
    await expect(service.login({ email: user.email, password: 'pw' }, ctx)).rejects.toMatchObject({
      status: 503,
      headers: { 'Retry-After': '2' },
    });
    expect(throttle.reserve).not.toHaveBeenCalled();
    expect(users.findByEmail).not.toHaveBeenCalled();
    expect(metrics.loginAttempt.mock.calls).toEqual([['password', 'shed']]);
  });

  it('gives the reservation back when the user lookup fails, and rethrows', async () => {
    const { service, users, throttle, reservation } = setup();
    users.findByEmail.mockRejectedValue(new Error('db down'));
    await expect(service.login({ email: user.email, password: 'pw' }, ctx)).rejects.toThrow('db down');
    expect(throttle.notEvaluated).toHaveBeenCalledWith(reservation);
  });

  it('rehashes a stored hash of another cost after a successful login (compare-and-set on the old hash)', async () => {
    const { service, hasher, users } = setup({ needsRehash: true });
    await service.login({ email: user.email, password: 'pw' }, ctx);
    await new Promise((resolve) => setImmediate(resolve));
    expect(hasher.hash).toHaveBeenCalledWith('pw');
    expect(users.replacePasswordHash).toHaveBeenCalledWith('u1', user.passwordHash, '$2b$10$new');
  });

  it('still logs in when the rehash fails', async () => {
    const { service, hasher } = setup({ needsRehash: true });
    hasher.hash.mockRejectedValue(new Error('busy'));
    await expect(service.login({ email: user.email, password: 'pw' }, ctx)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe('AuthService sessions', () => {
  const auth: AuthUser = {
    userId: 'u1',
    email: user.email,
    orgId: 'o1',
    branchId: 'b1',
    roleLevel: 'L4',
    sessionId: 's1',
    platform: 'WEB_BACKOFFICE',
    sessionExpiresAt: NOW,
  };

  it('logout revokes the session and evicts it from the cache', async () => {
    const { service, sessions, validator } = setup();
    await service.logout(auth);
    expect(sessions.revoke).toHaveBeenCalledWith('s1', NOW);
    expect(validator.forget).toHaveBeenCalledWith('s1');
  });

  it('logout-all revokes every session of the user and evicts them', async () => {
    const { service, sessions, validator } = setup();
    await expect(service.logoutAll(auth)).resolves.toEqual({ revokedSessions: 4 });
    expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', NOW);
    expect(validator.forgetUser).toHaveBeenCalledWith('u1');
  });

  it('lists active sessions and marks the current one', async () => {
    const { service, sessions } = setup();
    sessions.listActive.mockResolvedValue([
      { id: 's1', platform: 'WEB_BACKOFFICE', ip: null, userAgent: null, createdAt: NOW, expiresAt: NOW },
      { id: 's2', platform: 'POS_DESKTOP', ip: '1.2.3.4', userAgent: 'pos', createdAt: NOW, expiresAt: NOW },
    ]);
    const { sessions: list } = await service.activeSessions(auth);
    expect(list.map((s) => [s.id, s.current])).toEqual([
      ['s1', true],
      ['s2', false],
    ]);
  });

  it('me returns 401 when the user has been deleted', async () => {
    const { service, users } = setup();
    users.findById.mockResolvedValue(null);
    await expect(service.me(auth)).rejects.toMatchObject({ status: 401 });
  });
});
