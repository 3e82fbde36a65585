import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AppException } from '../../common/errors/app-exception';
import { MetricsService } from '../../metrics/metrics.service';
import type { ThrottleCount, ThrottleStore } from './throttle-store';

export const THROTTLE_STORE = Symbol('THROTTLE_STORE');

/** Who is trying to sign in: the account key (see accountKey / credentialKey) and the client address. */
export interface LoginAttempt {
  account: string;
  ip: string;
}

/**
 * An attempt that has been counted and may now check its credential. Hand it back with
 * `succeeded`, `failed` or `notEvaluated` once the outcome is known.
 */
export interface LoginReservation {
  readonly attempt: LoginAttempt;
  /** The account's count including this attempt, and the window it was counted in. */
  readonly account: ThrottleCount;
  /** The address's failure count including this attempt. */
  readonly ipFailures: ThrottleCount;
}

/**
 * Login abuse protection, in every environment, for every kind of login (password, PIN, badge:
 * each passes its own account key). RESERVE, THEN VERIFY: an attempt is counted before its
 * credential is checked, in one atomic PostgreSQL statement, so however many attempts run at
 * once, on however many instances and addresses, at most LOGIN_THROTTLE_ACCOUNT_LIMIT
 * credentials are ever checked per account per window; the rest are 429 without a check.
 *
 *  - per account: attempts (LOGIN_THROTTLE_ACCOUNT_LIMIT per LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS);
 *    a success clears the attempts counted up to and including its own;
 *  - per client IP, failures (LOGIN_THROTTLE_IP_LIMIT per LOGIN_THROTTLE_IP_WINDOW_SECONDS): the
 *    attempt is reserved as a failure and a success gives it back, so 25 staff signing in from
 *    one restaurant network are never refused;
 *  - per client IP, every attempt, against a much higher ceiling (LOGIN_THROTTLE_IP_ATTEMPT_LIMIT).
 * Accounts are keyed by a hash, whether or not they exist, so a 429 reveals nothing about which
 * emails are registered. Over a limit: 429 TOO_MANY_ATTEMPTS with Retry-After.
 * Rows whose window has passed are deleted by the retention job (src/retention).
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'loginThrottle'>,
    @Inject(THROTTLE_STORE) private readonly store: ThrottleStore,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Count the attempt (account, IP failures, IP attempts: one round trip) and refuse it with 429
   * when any of them is over its limit. Only a reservation that resolves may check a credential.
   */
  async reserve(attempt: LoginAttempt): Promise<LoginReservation> {
    const { ipLimit, ipAttemptLimit, ipWindowSeconds, accountLimit, accountWindowSeconds } = this.config.loginThrottle;
    const [account, ipFailures, ipAttempts] = await this.store.hitAll([
      { key: attempt.account, windowSeconds: accountWindowSeconds },
      { key: ipFailureKey(attempt.ip), windowSeconds: ipWindowSeconds },
      { key: ipKey(attempt.ip), windowSeconds: ipWindowSeconds },
    ]);
    if (ipAttempts.hits > ipAttemptLimit) {
      this.metrics.throttleHit('ip_attempts');
      throw tooManyAttempts(ipAttempts);
    }
    if (ipFailures.hits > ipLimit) {
      this.metrics.throttleHit('ip_failures');
      throw tooManyAttempts(ipFailures);
    }
    if (account.hits > accountLimit) {
      this.metrics.throttleHit('account');
      // Refused for the account's sake: not a failure of this address (an attacker locking an
      // owner's account must not also lock out the restaurant network she signs in from).
      await this.store.release([{ key: ipFailureKey(attempt.ip), startedAt: ipFailures.startedAt, by: 1 }]);
      throw tooManyAttempts(account);
    }
    return { attempt, account, ipFailures };
  }

  /** The credential was right: clear the account's attempts up to this one, give back the IP failure. */
  async succeeded(reservation: LoginReservation): Promise<void> {
    await this.store.release([
      { key: reservation.attempt.account, startedAt: reservation.account.startedAt, by: reservation.account.hits },
      { key: ipFailureKey(reservation.attempt.ip), startedAt: reservation.ipFailures.startedAt, by: 1 },
    ]);
  }

  /** The credential was wrong: it is already counted (reserved), nothing more to record. */
  failed(_reservation: LoginReservation): Promise<void> {
    return Promise.resolve();
  }

  /** No credential was checked (the attempt was shed or failed before): give both reservations back. */
  async notEvaluated(reservation: LoginReservation): Promise<void> {
    await this.store.release([
      { key: reservation.attempt.account, startedAt: reservation.account.startedAt, by: 1 },
      { key: ipFailureKey(reservation.attempt.ip), startedAt: reservation.ipFailures.startedAt, by: 1 },
    ]);
  }
}

/** Every attempt from an address (the high ceiling). */
export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

/** Failed attempts from an address. */
export function ipFailureKey(ip: string): string {
  return `ip-fail:${ip}`;
}

/** The throttle key of an email/password account: a hash of the normalised email. */
export function accountKey(email: string): string {
  return credentialKey('account', email.trim().toLowerCase());
}

/**
 * The throttle key of any other credential (a PIN login per branch, a badge...): `kind` names the
 * login variant, `identifier` what the attempt claims to be. Hashed, so no identifier is stored in clear.
 */
export function credentialKey(kind: string, identifier: string): string {
  return `${kind}:${createHash('sha256').update(identifier).digest('hex')}`;
}

function tooManyAttempts(count: ThrottleCount, now = Date.now()): AppException {
  const retryAfter = Math.max(1, Math.ceil((count.resetAt.getTime() - now) / 1000));
  return new AppException('TOO_MANY_ATTEMPTS', 'Too many login attempts; try again later.', {
    headers: { 'Retry-After': String(retryAfter) },
    extra: { retryAfterSeconds: retryAfter },
  });
}
