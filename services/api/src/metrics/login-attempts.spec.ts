import { HttpException } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import { countLoginAttempt, loginOutcomeOf } from './login-attempts';

describe('loginOutcomeOf', () => {
  it.each([
    [new AppException('INVALID_CREDENTIALS', 'x'), 'invalid'],
    [new AppException('TOO_MANY_ATTEMPTS', 'x'), 'throttled'],
    [new AppException('LOGIN_BUSY', 'x'), 'shed'],
    [new HttpException({ statusCode: 401, message: 'x' }, 401), 'invalid'],
    [new AppException('DATABASE_UNAVAILABLE', 'x'), null],
    [new AppException('VALIDATION_FAILED', 'x'), null],
    [new Error('boom'), null],
  ])('classifies %p as %p', (error, outcome) => {
    expect(loginOutcomeOf(error)).toBe(outcome);
  });
});

describe('countLoginAttempt', () => {
  it('counts a success and passes the result through', async () => {
    const metrics = { loginAttempt: jest.fn() };
    await expect(countLoginAttempt(metrics, 'pin', () => Promise.resolve('token'))).resolves.toBe('token');
    expect(metrics.loginAttempt).toHaveBeenCalledWith('pin', 'success');
  });

  it('counts a classified failure and rethrows it; other errors are not login outcomes', async () => {
    const metrics = { loginAttempt: jest.fn() };
    const refused = new AppException('TOO_MANY_ATTEMPTS', 'x');
    await expect(countLoginAttempt(metrics, 'badge', () => Promise.reject(refused))).rejects.toBe(refused);
    expect(metrics.loginAttempt).toHaveBeenCalledWith('badge', 'throttled');
    const down = new Error('database down');
    await expect(countLoginAttempt(metrics, 'password', () => Promise.reject(down))).rejects.toBe(down);
    expect(metrics.loginAttempt).toHaveBeenCalledTimes(1);
  });
});
