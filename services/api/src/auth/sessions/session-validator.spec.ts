import type { AccessTokenClaims } from '../auth.types';
import { SessionValidator } from './session-validator';
import type { SessionSnapshot, SessionsRepository } from './sessions.repository';

const NOW = new Date('2026-11-25T12:00:00Z');
const snapshot: SessionSnapshot = {
  id: 's1',
  userId: 'u1',
  jti: 'j1',
  platform: 'WEB_BACKOFFICE',
  expiresAt: new Date(NOW.getTime() + 60_000),
  revokedAt: null,
  user: { email: 'a@b.test', orgId: 'o1', branchId: null, roleLevel: 'L4', isActive: true, sessionVersion: 2 },
};
const claims: AccessTokenClaims = { sub: 'u1', orgId: 'o1', roleLevel: 'L4', sid: 's1', sv: 2, jti: 'j1' };

function setup(found: SessionSnapshot | null = snapshot, ttlMs = 5_000) {
  const repo = { findSnapshot: jest.fn().mockResolvedValue(found) };
  const validator = new SessionValidator(
    repo as unknown as SessionsRepository,
    { sessionCacheTtlMs: ttlMs },
    { now: () => NOW },
  );
  return { validator, repo };
}

describe('SessionValidator', () => {
  it('returns the caller from a valid session', async () => {
    const { validator } = setup();
    await expect(validator.validate(claims)).resolves.toEqual({
      userId: 'u1',
      email: 'a@b.test',
      orgId: 'o1',
      branchId: null,
      roleLevel: 'L4',
      sessionId: 's1',
      platform: 'WEB_BACKOFFICE',
      sessionExpiresAt: snapshot.expiresAt,
    });
  });

  it.each<[string, SessionSnapshot | null, Partial<AccessTokenClaims>]>([
    ['a missing session', null, {}],
    ['a revoked session', { ...snapshot, revokedAt: NOW }, {}],
    ['an expired session', { ...snapshot, expiresAt: NOW }, {}],
    ['an inactive user', { ...snapshot, user: { ...snapshot.user, isActive: false } }, {}],
    ['a stale session version (logout-all)', { ...snapshot, user: { ...snapshot.user, sessionVersion: 3 } }, {}],
    ['another user', snapshot, { sub: 'u2' }],
    ['another jti', snapshot, { jti: 'j2' }],
    ['a changed org', snapshot, { orgId: 'o2' }],
    ['a changed role', snapshot, { roleLevel: 'L5' }],
    ['a token without sid', snapshot, { sid: undefined as unknown as string }],
  ])('rejects %s with 401', async (_name, found, claimOverrides) => {
    const { validator } = setup(found);
    await expect(validator.validate({ ...claims, ...claimOverrides })).rejects.toMatchObject({ status: 401 });
  });

  it('serves repeated lookups from the cache until evicted', async () => {
    const { validator, repo } = setup();
    await validator.validate(claims);
    await validator.validate(claims);
    expect(repo.findSnapshot).toHaveBeenCalledTimes(1);
    validator.forget('s1');
    await validator.validate(claims);
    expect(repo.findSnapshot).toHaveBeenCalledTimes(2);
    validator.forgetUser('u1');
    await validator.validate(claims);
    expect(repo.findSnapshot).toHaveBeenCalledTimes(3);
  });

  it('does not cache with a TTL of 0', async () => {
    const { validator, repo } = setup(snapshot, 0);
    await validator.validate(claims);
    await validator.validate(claims);
    expect(repo.findSnapshot).toHaveBeenCalledTimes(2);
  });

  it('lets database errors through (they become 503, not 401)', async () => {
    const { validator, repo } = setup();
    repo.findSnapshot.mockRejectedValue(new Error('connect ECONNREFUSED'));
    await expect(validator.validate(claims)).rejects.toThrow('ECONNREFUSED');
  });
});
