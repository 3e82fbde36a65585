import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JWT_AUDIENCE, JWT_ISSUER, type AccessTokenClaims, type AuthUser } from '../auth.types';
import { SessionValidator } from '../sessions/session-validator';
import { VerifiedTokenCache } from './verified-token-cache';

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
    private readonly verified: VerifiedTokenCache,
  ) {
    super({
      passReqToCallback: true,
      jwtFromRequest: bearerToken,
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
      // public key (createPublicKey, which throws) on every verification — a fifth of the CPU of
      // an authenticated request. The key type is checked once here instead.
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(req: Request, claims: AccessTokenClaims): Promise<AuthUser> {
    const token = bearerToken(req);
    if (token) this.verified.remember(token, claims);
    return this.sessions.validate(claims);
  }
}
