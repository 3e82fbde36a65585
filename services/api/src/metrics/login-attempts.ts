import { HttpException } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import type { LoginMethod, LoginOutcome, MetricsService } from './metrics.service';

/**
 * How a failed login attempt ended, from the error it threw: 401 invalid, 429 throttled, a
 * shedding 503 shed. Anything else (database down, a bug) is not a login outcome: those are
 * counted by the database-error and HTTP metrics.
 */
export function loginOutcomeOf(error: unknown): Exclude<LoginOutcome, 'success'> | null {
  if (!(error instanceof HttpException)) return null;
  const status = error.getStatus();
  if (status === 401) return 'invalid';
  if (status === 429) return 'throttled';
  // Shedding is the catalogue's LOGIN_BUSY (a saturated hashing queue); other 503s are the database's.
  if (error instanceof AppException && error.code === 'LOGIN_BUSY') return 'shed';
  return null;
}

/** Run one login attempt and count its outcome in chefcloud_login_attempts_total. */
export async function countLoginAttempt<T>(
  metrics: Pick<MetricsService, 'loginAttempt'>,
  method: LoginMethod,
  attempt: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    const outcome = loginOutcomeOf(error);
    if (outcome) metrics.loginAttempt(method, outcome);
    throw error;
  }
  metrics.loginAttempt(method, 'success');
  return result;
}
