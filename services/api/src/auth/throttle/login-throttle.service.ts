import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AppException } from '../../common/errors/app-exception';
import { MetricsService } from '../../metrics/metrics.service';
import type { ThrottleCount, ThrottleStore } from './throttle-store';

export const THROTTLE_STORE = Symbol('THROTTLE_STORE');

/**
 * Login abuse protection, in every environment:
 *  - per client IP: every attempt counts (LOGIN_THROTTLE_IP_LIMIT per LOGIN_THROTTLE_IP_WINDOW_SECONDS);
 *  - per account: failed attempts count (LOGIN_THROTTLE_ACCOUNT_LIMIT per
 *    LOGIN_THROTTLE_ACCOUNT_WINDOW_SECONDS), and a successful login clears them.
 * Accounts are keyed by a hash of the normalised email whether or not it exists, so a 429
 * reveals nothing about which emails are registered. Over a limit: 429 with Retry-After.
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
   * Count this attempt against the IP and refuse (429) when the IP or the account is over its
   * limit. Resolves to whether the account has failures on record (so a success knows whether
   * there is anything to clear). One database round trip.
   */
  async beforeAttempt(ip: string, email: string): Promise<{ accountHasFailures: boolean }> {
    const { ipLimit, ipWindowSeconds, accountLimit, accountWindowSeconds } = this.config.loginThrottle;
    const [byIp, byAccount] = await this.store.hitAndPeek(
      ipKey(ip),
      ipWindowSeconds,
      accountKey(email),
      accountWindowSeconds,
    );
    if (byIp.hits > ipLimit) {
      this.metrics.throttleHit('ip');
      throw tooManyAttempts(byIp);
    }
    if (byAccount && byAccount.hits >= accountLimit) {
      this.metrics.throttleHit('account');
      throw tooManyAttempts(byAccount);
    }
    return { accountHasFailures: byAccount !== null };
  }

  async recordFailure(email: string): Promise<void> {
    await this.store.hit(accountKey(email), this.config.loginThrottle.accountWindowSeconds);
  }

  /** A successful login clears the account's failures (no query when there were none). */
  async recordSuccess(email: string, accountHasFailures = true): Promise<void> {
    if (accountHasFailures) await this.store.reset(accountKey(email));
  }
}

export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

export function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

function tooManyAttempts(count: ThrottleCount, now = Date.now()): AppException {
  const retryAfter = Math.max(1, Math.ceil((count.resetAt.getTime() - now) / 1000));
  return new AppException('TOO_MANY_ATTEMPTS', 'Too many login attempts; try again later.', {
    headers: { 'Retry-After': String(retryAfter) },
    extra: { retryAfterSeconds: retryAfter },
  });
}
