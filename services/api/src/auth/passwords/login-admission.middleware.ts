import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { LoginMethod, MetricsService } from '../../metrics/metrics.service';
import { loginBusy } from '../auth.service';
import type { PasswordHasher } from './password-hasher';

/** The sign-ins that verify a bcrypt hash (so the hasher's admission decides them), by path. */
export const HASHED_LOGIN_PATHS: Readonly<Record<string, LoginMethod>> = {
  '/auth/login': 'password',
  '/auth/pin-login': 'pin',
};

/**
 * Login admission at the HTTP edge. Under a spray, the logins the hasher would refuse are
 * answered 503 LOGIN_BUSY + Retry-After here, before their body is parsed, validated and routed:
 * shedding costs the event loop as little as possible, so liveness and the logins that are
 * admitted keep their time (the spray: 200 logins at once on a 2-core instance). The
 * service's own `admit` stays the authority (this only looks; a login let through here can
 * still be shed there). Counted in chefcloud_login_attempts_total{outcome="shed"} like those.
 */
export function loginAdmission(
  hasher: Pick<PasswordHasher, 'refusal'>,
  metrics: Pick<MetricsService, 'loginAttempt'>,
): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    // Express routes case-insensitively and ignores one trailing slash: so does this.
    const method = req.method === 'POST' ? HASHED_LOGIN_PATHS[req.path.toLowerCase().replace(/\/$/, '')] : undefined;
    const retryAfter = method ? hasher.refusal() : undefined;
    if (method === undefined || retryAfter === undefined) {
      next();
      return;
    }
    metrics.loginAttempt(method, 'shed');
    next(loginBusy(retryAfter));
  };
}
