import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../../common/errors/app-exception';
import type { AuthUser } from '../auth.types';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { SessionValidator } from '../sessions/session-validator';
import { bearerToken } from './jwt.strategy';
import { VerifiedTokenCache } from './verified-token-cache';

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="chefcloud"' };

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(). The token is
 * verified by the passport-jwt strategy the first time it is seen, then served from
 * VerifiedTokenCache until it expires (its session is checked on every request either way).
 * Failures are 401 in the error envelope; errors raised while checking the session (database
 * down) pass through to the exception filter (503).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly verified: VerifiedTokenCache,
    private readonly sessions: SessionValidator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const token = bearerToken(req);
    const claims = token ? this.verified.get(token) : undefined;
    if (claims) {
      req.user = await this.sessions.validate(claims);
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err) throw err;
    if (!user) {
      const reason = info instanceof Error ? info.name : undefined;
      const message =
        reason === 'TokenExpiredError'
          ? 'The access token has expired'
          : info instanceof Error && /No auth token/i.test(info.message)
            ? 'A bearer token is required'
            : 'The access token is invalid';
      throw new AppException('UNAUTHORIZED', message, { headers: BEARER_CHALLENGE });
    }
    return user;
  }
}
