import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock/clock';
import { AppException } from '../../common/errors/app-exception';
import type { AccessTokenClaims, AuthUser } from '../auth.types';
import { SessionCache } from './session-cache';
import { SessionsRepository, type SessionSnapshot } from './sessions.repository';

/**
 * Second half of authentication, after the signature: the token's session must exist, belong
 * to the token's user, carry the token's jti, be neither revoked nor expired, and the user must
 * be active with the token's session_version, org and role. Lookups are cached per instance
 * for SESSION_CACHE_TTL_MS (default 5 s); this instance's logouts evict at once.
 */
@Injectable()
export class SessionValidator {
  private readonly cache: SessionCache;

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'sessionCacheTtlMs'>,
    private readonly clock: Clock,
  ) {
    this.cache = new SessionCache(config.sessionCacheTtlMs);
  }

  async validate(claims: AccessTokenClaims): Promise<AuthUser> {
    if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw sessionInvalid();
    let snapshot = this.cache.get(claims.sid);
    if (snapshot === undefined) {
      snapshot = await this.sessions.findSnapshot(claims.sid);
      this.cache.set(claims.sid, snapshot);
    }
    if (!isUsable(snapshot, claims, this.clock.now())) throw sessionInvalid();
    return {
      userId: snapshot.userId,
      email: snapshot.user.email,
      orgId: snapshot.user.orgId,
      branchId: snapshot.user.branchId,
      roleLevel: snapshot.user.roleLevel,
      sessionId: snapshot.id,
      platform: snapshot.platform,
      sessionExpiresAt: snapshot.expiresAt,
    };
  }

  forget(sessionId: string): void {
    this.cache.evict(sessionId);
  }

  forgetUser(userId: string): void {
    this.cache.evictUser(userId);
  }
}

function isUsable(s: SessionSnapshot | null, claims: AccessTokenClaims, now: Date): s is SessionSnapshot {
  return (
    s !== null &&
    s.userId === claims.sub &&
    s.jti === claims.jti &&
    s.revokedAt === null &&
    s.expiresAt.getTime() > now.getTime() &&
    s.user.isActive &&
    s.user.sessionVersion === claims.sv &&
    s.user.orgId === claims.orgId &&
    s.user.roleLevel === claims.roleLevel
  );
}

function sessionInvalid(): AppException {
  return new AppException('UNAUTHORIZED', 'The session has ended; sign in again', {
    headers: { 'WWW-Authenticate': 'Bearer realm="chefcloud", error="invalid_token"' },
  });
}
