import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JWT_AUDIENCE, JWT_ISSUER, type AccessTokenClaims, type AuthUser } from '../auth.types';
import { SessionValidator } from '../sessions/session-validator';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i; // the scheme is case-insensitive (RFC 7235)

/** The token of an `Authorization: Bearer <jwt>` header, exactly (anything else: no token). */
export function bearerToken(req: Pick<Request, 'headers'>): string | null {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  return match ? match[1] : null;
}

/**
 * Verifies the bearer token (HS256 only — `alg: none` and other algorithms are refused; expiry,
 * issuer and audience checked) and then its session: see SessionValidator.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionValidator,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<AuthUser> {
    return this.sessions.validate(claims);
  }
}
