import type { NextFunction, Request, Response } from 'express';
import { AppException } from '../../common/errors/app-exception';
import { loginAdmission } from './login-admission.middleware';

describe('loginAdmission (shedding at the HTTP edge)', () => {
  const setup = (refusal: number | undefined) => {
    const loginAttempt = jest.fn();
    const middleware = loginAdmission({ refusal: () => refusal }, { loginAttempt });
    const call = (method: string, path: string) => {
      const next = jest.fn<void, unknown[]>();
      middleware({ method, path } as Request, {} as Response, next as unknown as NextFunction);
      return next;
    };
    return { call, loginAttempt };
  };

  it('sheds a password or PIN login the hasher would refuse: 503 LOGIN_BUSY + Retry-After, counted as shed', () => {
    const { call, loginAttempt } = setup(3);
    for (const [path, method] of [
      ['/auth/login', 'password'],
      ['/AUTH/Login/', 'password'],
      ['/auth/pin-login', 'pin'],
    ]) {
      const next = call('POST', path);
      const error = next.mock.calls[0][0] as AppException;
      expect(error).toBeInstanceOf(AppException);
      expect(error.code).toBe('LOGIN_BUSY');
      expect(error.getStatus()).toBe(503);
      expect(error.headers['Retry-After']).toBe('3');
      expect(loginAttempt).toHaveBeenLastCalledWith(method, 'shed');
    }
  });

  it('lets everything else through untouched: admitted logins, other methods, other routes (badges hash nothing)', () => {
    const admitted = setup(undefined);
    expect(admitted.call('POST', '/auth/login').mock.calls).toEqual([[]]);
    const busy = setup(3);
    for (const [method, path] of [
      ['GET', '/auth/login'],
      ['POST', '/auth/msr-swipe'],
      ['POST', '/auth/logout'],
      ['POST', '/ops/flags'],
      ['POST', '/auth/login/extra'],
    ])
      expect(busy.call(method, path).mock.calls).toEqual([[]]);
    expect(busy.loginAttempt).not.toHaveBeenCalled();
    expect(admitted.loginAttempt).not.toHaveBeenCalled();
  });
});
