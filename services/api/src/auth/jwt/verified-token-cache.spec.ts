import type { AccessTokenClaims } from '../auth.types';
import { VerifiedTokenCache } from './verified-token-cache';

const claims = (exp?: number): AccessTokenClaims => ({
  sub: 'u',
  orgId: 'o',
  roleLevel: 'L1',
  sid: 's',
  sv: 0,
  jti: 'j',
  exp,
});

describe('VerifiedTokenCache', () => {
  it('serves a verified token until it expires, then forgets it', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now);
    cache.remember('tok', claims(1_001));
    expect(cache.get('tok')).toEqual(claims(1_001));
    expect(cache.get('tok-other')).toBeUndefined();
    now = 1_001_000;
    expect(cache.get('tok')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never caches a token without an expiry', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('tok', claims(undefined));
    expect(cache.get('tok')).toBeUndefined();
  });

  it('drops the oldest entry beyond 10,000', () => {
    const cache = new VerifiedTokenCache(() => 0);
    for (let i = 0; i <= 10_000; i++) cache.remember(`t${i}`, claims(10));
    expect(cache.size).toBe(10_000);
    expect(cache.get('t0')).toBeUndefined();
    expect(cache.get('t10000')).toBeDefined();
  });
});
