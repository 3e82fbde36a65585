import { Injectable } from '@nestjs/common';
import type { AccessTokenClaims } from '../auth.types';

const MAX_ENTRIES = 10_000;

/**
 * Tokens whose signature, algorithm, issuer, audience and expiry passport-jwt has already
 * verified, keyed by the exact token string, until the token expires. A repeat request with the
 * same token skips passport and the HMAC; its session is still checked every time (see
 * SessionValidator), so logout and revocation are unaffected. Bounded: oldest entries go first.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(token: string): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  remember(token: string, claims: AccessTokenClaims): void {
    if (typeof claims.exp !== 'number') return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims, expiresAtMs: claims.exp * 1000 });
  }

  get size(): number {
    return this.entries.size;
  }
}
