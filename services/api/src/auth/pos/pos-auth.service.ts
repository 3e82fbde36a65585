import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { hashBadge, type User } from '@chefcloud/db';
import { AppException } from '../../common/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { countLoginAttempt } from '../../metrics/login-attempts';
import { MetricsService } from '../../metrics/metrics.service';
import { UsersRepository } from '../../users/users.repository';
import { AuthService, loginBusy, type RequestContext } from '../auth.service';
import type { AuthUser } from '../auth.types';
import type { LoginResponseDto } from '../dto/auth-responses.dto';
import { HashingBusyError, PasswordHasher } from '../passwords/password-hasher';
import { credentialKey, LoginThrottleService } from '../throttle/login-throttle.service';
import type { BadgeSwipeDto, PinLoginDto } from './dto/pos-login.dto';
import { EmployeeProfilesRepository } from './employee-profiles.repository';

/** Payment-card track data (track 1 `%B<PAN>^`, track 2 `;<PAN>=`): refused, never looked up or stored. */
const PAYMENT_CARD_TRACK = /%B\d{6,19}\^|;\d{6,19}=/;

/** The one answer to every failed PIN login (unknown code, no PIN, wrong PIN, other branch, inactive). */
function invalidPin(): AppException {
  return new AppException('INVALID_CREDENTIALS', 'Invalid employee code or PIN');
}

/** The one answer to every failed badge swipe (unknown badge, other branch, inactive user). */
function invalidBadge(): AppException {
  return new AppException('INVALID_CREDENTIALS', 'Badge not recognised');
}

/**
 * In-store sign-in for the POS: PIN (branch + employee code + PIN) and badge swipe, and badge
 * enrolment. Built on the same throttle and hasher as password login:
 *  - every attempt is reserved per credential (credentialKey) and per client IP before anything
 *    is checked, and 429s over the same limits;
 *  - a PIN costs exactly one bcrypt comparison whether or not the employee code exists (a dummy
 *    hash otherwise), under the same admission control (503 + Retry-After when saturated), so
 *    neither the answer nor its timing tells which part was wrong;
 *  - a badge is one lookup of its keyed hash (HMAC, BADGE_HASH_KEY), the same work whether or not
 *    it exists; payment-card data is refused before anything else.
 * Sessions default to POS_DESKTOP (the device token lifetime).
 */
@Injectable()
export class PosAuthService {
  private readonly logger = new Logger('PosAuth');

  constructor(
    private readonly profiles: EmployeeProfilesRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'badgeHashKey'>,
    private readonly metrics: MetricsService,
  ) {}

  /** A PIN sign-in, counted by outcome in chefcloud_login_attempts_total{method="pin"}. */
  pinLogin(dto: PinLoginDto, ctx: RequestContext): Promise<LoginResponseDto> {
    return countLoginAttempt(this.metrics, 'pin', () => this.signInWithPin(dto, ctx));
  }

  /** A badge swipe, counted by outcome in chefcloud_login_attempts_total{method="badge"}. */
  badgeLogin(dto: BadgeSwipeDto, ctx: RequestContext): Promise<LoginResponseDto> {
    return countLoginAttempt(this.metrics, 'badge', () => this.signInWithBadge(dto, ctx));
  }

  private async signInWithPin(dto: PinLoginDto, ctx: RequestContext): Promise<LoginResponseDto> {
    let user: User;
    try {
      user = await this.hasher.admit(() => this.checkPin(dto, ctx));
    } catch (error) {
      if (error instanceof HashingBusyError) throw loginBusy(error.retryAfterSeconds);
      throw error;
    }
    return this.auth.openSession(user, dto.platform ?? 'POS_DESKTOP', ctx);
  }

  private async signInWithBadge(dto: BadgeSwipeDto, ctx: RequestContext): Promise<LoginResponseDto> {
    if (PAYMENT_CARD_TRACK.test(dto.badgeId)) {
      throw new AppException('PAYMENT_CARD_REJECTED', 'Payment card data rejected');
    }
    const badgeHash = hashBadge(this.config.badgeHashKey, dto.badgeId);
    const reservation = await this.throttle.reserve({ account: credentialKey('badge', badgeHash), ip: ctx.ip });
    let user: User | undefined;
    try {
      user = (await this.profiles.findByBadgeHash(badgeHash))?.user;
    } catch (error) {
      await this.throttle.notEvaluated(reservation);
      throw error;
    }
    if (!user || !user.isActive || (dto.branchId !== undefined && user.branchId !== dto.branchId)) {
      await this.throttle.failed(reservation);
      throw invalidBadge();
    }
    await this.throttle.succeeded(reservation);
    return this.auth.openSession(user, dto.platform ?? 'POS_DESKTOP', ctx);
  }

  /** Enrol (or replace) the badge of a user of the caller's org; another org's user is 404. */
  async enrollBadge(caller: AuthUser, userId: string, badge: string): Promise<{ success: true }> {
    const target = await this.users.findById(userId);
    if (!target || target.orgId !== caller.orgId) throw new AppException('NOT_FOUND', 'User not found');
    const badgeHash = hashBadge(this.config.badgeHashKey, badge);
    const holder = await this.profiles.findByBadgeHash(badgeHash);
    if (holder && holder.userId !== target.id) {
      throw new AppException('CONFLICT', 'Badge ID already assigned to another user');
    }
    await this.profiles.setBadge(target, badgeHash, generatedEmployeeCode());
    this.logger.log({ byUserId: caller.userId, userId: target.id, orgId: target.orgId }, 'badge enrolled');
    return { success: true };
  }

  /**
   * Reserve, look up, verify: the signed-in user, or 401/429 (HashingBusyError when shed).
   * The PIN is compared with the employee's hash only when the branch is the employee's own;
   * any other branch of the org compares against the dummy hash (the same work), so trying an
   * employee code at every branch of an org never evaluates the real PIN more than
   * LOGIN_THROTTLE_ACCOUNT_LIMIT times per window (the limit is per branch + employee code).
   */
  private async checkPin(dto: PinLoginDto, ctx: RequestContext): Promise<User> {
    const account = credentialKey('pin', `${dto.branchId}\0${dto.employeeCode}`);
    const reservation = await this.throttle.reserve({ account, ip: ctx.ip });
    let user: User | undefined;
    let ok: boolean;
    try {
      const profile = await this.profiles.findByBranchAndCode(dto.branchId, dto.employeeCode);
      user = profile && profile.user.branchId === dto.branchId ? profile.user : undefined;
      ok = (await this.hasher.verify(dto.pin, user ? profile?.pinHash : undefined)).ok;
    } catch (error) {
      await this.throttle.notEvaluated(reservation);
      throw error;
    }
    if (!user || !ok || !user.isActive) {
      await this.throttle.failed(reservation);
      throw invalidPin();
    }
    await this.throttle.succeeded(reservation);
    return user;
  }
}

/** The employee code of a profile created by a badge enrolment (the original's `EMP-<ms>-<4 chars>`). */
function generatedEmployeeCode(): string {
  return `EMP-${Date.now()}-${randomBytes(3).toString('hex').slice(0, 4).toUpperCase()}`;
}
