import { Injectable } from '@nestjs/common';
import { ExpiringMap } from '../../common/cache/expiring-map';
import type { AccessTokenClaims } from '../auth.types';

/**
 * Tokens whose signature, algorithm, issuer, audience and expiry passport-jwt has already
 * verified, keyed by the exact token string, until the token expires. A repeat request with the
 * same token skips passport and the HMAC; its session is still checked every time (see
 * SessionValidator), so logout and revocation are unaffected. Bounded to 10,000 tokens.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly entries: ExpiringMap<string, AccessTokenClaims>;

  constructor(now: () => number = Date.now) {
    this.entries = new ExpiringMap(10_000, now);
  }

  get(token: string): AccessTokenClaims | undefined {
    return this.entries.get(token);
  }

  remember(token: string, claims: AccessTokenClaims): void {
    if (typeof claims.exp === 'number') this.entries.set(token, claims, claims.exp * 1000);
  }

  get size(): number {
    return this.entries.size;
  }
}
