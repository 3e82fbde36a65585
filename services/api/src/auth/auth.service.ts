import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@chefcloud/db';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AppException } from '../common/errors/app-exception';
import { countLoginAttempt } from '../metrics/login-attempts';
import { MetricsService } from '../metrics/metrics.service';
import { UsersRepository } from '../users/users.repository';
import {
  DEVICE_PLATFORMS,
  JWT_AUDIENCE,
  JWT_ISSUER,
  type AccessTokenClaims,
  type AuthUser,
  type Platform,
} from './auth.types';
import type { ActiveSessionDto, AuthUserDto, LoginResponseDto, MeResponseDto } from './dto/auth-responses.dto';
import { HashingBusyError, PasswordHasher, type Verification } from './passwords/password-hasher';
import { Clock } from '../common/clock/clock';
import { SessionValidator } from './sessions/session-validator';
import { SessionsRepository } from './sessions/sessions.repository';
import { accountKey, LoginThrottleService } from './throttle/login-throttle.service';

export interface LoginInput {
  email: string;
  password: string;
  platform?: Platform;
}

export interface RequestContext {
  ip: string;
  userAgent?: string;
}

/** The one answer to every failed login: same status, code and message whatever the reason. */
export function invalidCredentials(): AppException {
  return new AppException('INVALID_CREDENTIALS', 'Invalid email or password');
}

/** 503 for a login shed because hashing is saturated (a spray): retry after the hint. */
export function loginBusy(retryAfterSeconds: number): AppException {
  return new AppException('LOGIN_BUSY', 'Too many sign-ins are being checked right now; retry shortly.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  /** Seeds the hasher with the costs of stored hashes, once (timing parity for unknown emails). */
  private storedCostsSampled?: Promise<void>;

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly validator: SessionValidator,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'jwt'>,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Unknown email, wrong password and inactive user all end in the same 401 after one bcrypt
   * comparison each (a dummy hash of the typical stored cost stands in for a missing user), so
   * neither the body nor the timing tells them apart. The attempt is counted (reserved) per
   * account and per IP BEFORE the password is checked (429 over a limit); a login shed because
   * hashing is saturated is 503 + Retry-After and gives its reservation back. Each attempt is
   * counted by outcome (chefcloud_login_attempts_total{method="password"}).
   */
  async login(input: LoginInput, ctx: RequestContext): Promise<LoginResponseDto> {
    return countLoginAttempt(this.metrics, 'password', () => this.passwordLogin(input, ctx));
  }

  private async passwordLogin(input: LoginInput, ctx: RequestContext): Promise<LoginResponseDto> {
    let user: User;
    try {
      // Admission first: under a spray the excess is refused before it touches the database.
      user = await this.hasher.admit(() => this.checkCredentials(input, ctx));
    } catch (error) {
      if (error instanceof HashingBusyError) throw loginBusy(error.retryAfterSeconds);
      throw error;
    }
    return this.openSession(user, input.platform ?? 'WEB_BACKOFFICE', ctx);
  }

  /** Reserve, look up, verify: the signed-in user, or 401/429 (HashingBusyError when shed). */
  private async checkCredentials(input: LoginInput, ctx: RequestContext): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const reservation = await this.throttle.reserve({ account: accountKey(email), ip: ctx.ip });
    let verification: Verification;
    let user: User | null;
    try {
      user = await this.users.findByEmail(email);
      if (!user) await this.sampleStoredCosts();
      verification = await this.hasher.verify(input.password, user?.passwordHash);
    } catch (error) {
      await this.throttle.notEvaluated(reservation);
      throw error;
    }
    if (!user || !verification.ok || !user.isActive) {
      await this.throttle.failed(reservation);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(reservation);
    if (verification.needsRehash) this.rehashInBackground(user, input.password);
    return user;
  }

  /** Open a session for a user whose credential was just verified (password, PIN or badge) and sign its token. */
  async openSession(user: User, platform: Platform, ctx: RequestContext): Promise<LoginResponseDto> {
    const ttlSeconds = DEVICE_PLATFORMS.includes(platform)
      ? this.config.jwt.deviceTtlSeconds
      : this.config.jwt.ttlSeconds;
    const now = this.clock.now();
    const session = await this.sessions.create({
      userId: user.id,
      orgId: user.orgId,
      platform,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    const claims: AccessTokenClaims = {
      sub: user.id,
      orgId: user.orgId,
      roleLevel: user.roleLevel,
      sid: session.id,
      sv: user.sessionVersion,
      jti: session.jti,
    };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      user: toUserDto(user),
      session: { id: session.id, platform: session.platform, expiresAt: session.expiresAt },
    };
  }

  /**
   * After a successful login with a hash of another cost than BCRYPT_COST: store a new hash, off
   * the response path (a failure only means it is tried again at the next login).
   */
  private rehashInBackground(user: User, password: string): void {
    void this.hasher
      .hash(password)
      .then((next) => this.users.replacePasswordHash(user.id, user.passwordHash, next))
      .catch((error: unknown) =>
        this.logger.warn(`rehashing a password failed (retried at the next login): ${describe(error)}`),
      );
  }

  private sampleStoredCosts(): Promise<void> {
    this.storedCostsSampled ??= this.users.sampleHashCosts().then(
      (costs) => this.hasher.noteStoredCosts(costs),
      () => {
        this.storedCostsSampled = undefined; // try again at the next unknown email
      },
    );
    return this.storedCostsSampled;
  }

  async me(auth: AuthUser): Promise<MeResponseDto> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw new AppException('UNAUTHORIZED', 'The session has ended; sign in again');
    return {
      user: toUserDto(user),
      session: { id: auth.sessionId, platform: auth.platform, expiresAt: auth.sessionExpiresAt },
    };
  }

  async logout(auth: AuthUser): Promise<void> {
    await this.sessions.revoke(auth.sessionId, this.clock.now());
    this.validator.forget(auth.sessionId);
  }

  async logoutAll(auth: AuthUser): Promise<{ revokedSessions: number }> {
    const revokedSessions = await this.sessions.revokeAllForUser(auth.userId, this.clock.now());
    this.validator.forgetUser(auth.userId);
    return { revokedSessions };
  }

  async activeSessions(auth: AuthUser): Promise<{ sessions: ActiveSessionDto[] }> {
    const rows = await this.sessions.listActive(auth.userId, this.clock.now());
    return {
      sessions: rows.map((s) => ({
        id: s.id,
        platform: s.platform,
        ip: s.ip,
        userAgent: s.userAgent,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        current: s.id === auth.sessionId,
      })),
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

export function toUserDto(user: User): AuthUserDto {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    roleLevel: user.roleLevel,
    jobRole: user.jobRole,
    orgId: user.orgId,
    branchId: user.branchId,
  };
}
