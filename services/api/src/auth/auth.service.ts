import { Inject, Injectable } from '@nestjs/common';
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
import { PasswordHasher } from './passwords/password-hasher';
import { Clock } from '../common/clock/clock';
import { SessionValidator } from './sessions/session-validator';
import { SessionsRepository } from './sessions/sessions.repository';
import { LoginThrottleService } from './throttle/login-throttle.service';

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

@Injectable()
export class AuthService {
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
   * comparison each (a dummy hash stands in for a missing user), so neither the body nor the
   * timing tells them apart. Throttled per IP and per account first (429). Each attempt is
   * counted by outcome (chefcloud_login_attempts_total{method="password"}).
   */
  async login(input: LoginInput, ctx: RequestContext): Promise<LoginResponseDto> {
    return countLoginAttempt(this.metrics, 'password', () => this.passwordLogin(input, ctx));
  }

  private async passwordLogin(input: LoginInput, ctx: RequestContext): Promise<LoginResponseDto> {
    const email = input.email.trim().toLowerCase();
    const { accountHasFailures } = await this.throttle.beforeAttempt(ctx.ip, email);
    const user = await this.users.findByEmail(email);
    const passwordOk = await this.hasher.verifyOrDummy(input.password, user?.passwordHash);
    if (!user || !passwordOk || !user.isActive) {
      await this.throttle.recordFailure(email);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(email, accountHasFailures);

    const platform = input.platform ?? 'WEB_BACKOFFICE';
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

function toUserDto(user: User): AuthUserDto {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    roleLevel: user.roleLevel,
    orgId: user.orgId,
    branchId: user.branchId,
  };
}
