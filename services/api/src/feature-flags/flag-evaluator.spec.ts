import { evaluateFlag, parseScopes, rolloutBucket } from './flag-evaluator';

const subject = { userId: 'u1', roleLevel: 'L1' as const, branchId: 'b1' };
const flag = (over: Partial<{ active: boolean; rolloutPct: number; scopes: unknown }> = {}) => ({
  key: 'f',
  active: true,
  rolloutPct: 100,
  scopes: null,
  ...over,
});

describe('evaluateFlag', () => {
  it('DISABLED when inactive, whatever the rollout', () => {
    expect(evaluateFlag(flag({ active: false }), subject)).toEqual({ key: 'f', enabled: false, reason: 'DISABLED' });
  });

  it('TARGETING_MATCH at 100% for everyone in scope', () => {
    expect(evaluateFlag(flag(), subject)).toEqual({ key: 'f', enabled: true, reason: 'TARGETING_MATCH' });
    expect(evaluateFlag(flag({ scopes: { roles: ['L1'], branchIds: ['b1'] } }), subject)).toMatchObject({
      enabled: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('DEFAULT (off) outside the scopes: role, branch, or no branch', () => {
    expect(evaluateFlag(flag({ scopes: { roles: ['L4', 'L5'] } }), subject)).toEqual({
      key: 'f',
      enabled: false,
      reason: 'DEFAULT',
    });
    expect(evaluateFlag(flag({ scopes: { branchIds: ['b2'] } }), subject)).toMatchObject({
      enabled: false,
      reason: 'DEFAULT',
    });
    expect(evaluateFlag(flag({ scopes: { branchIds: ['b1'] } }), { ...subject, branchId: null })).toMatchObject({
      enabled: false,
      reason: 'DEFAULT',
    });
  });

  it('SPLIT below 100%, with the sticky bucket', () => {
    const result = evaluateFlag(flag({ rolloutPct: 0 }), subject);
    expect(result).toEqual({ key: 'f', enabled: false, reason: 'SPLIT', bucket: rolloutBucket('f', 'u1') });
  });

  it('rollout is sticky per user and close to the percentage over 1,000 users', () => {
    for (const pct of [10, 30, 50, 90]) {
      let on = 0;
      for (let i = 0; i < 1000; i++) {
        const a = evaluateFlag(flag({ rolloutPct: pct }), { ...subject, userId: `user-${i}` });
        expect(evaluateFlag(flag({ rolloutPct: pct }), { ...subject, userId: `user-${i}` })).toEqual(a);
        if (a.enabled) on++;
      }
      expect(on).toBeGreaterThanOrEqual(pct * 10 - 50);
      expect(on).toBeLessThanOrEqual(pct * 10 + 50);
    }
  });

  it('raising the rollout only adds users (buckets are fixed per key and user)', () => {
    for (let i = 0; i < 200; i++) {
      const s = { ...subject, userId: `user-${i}` };
      if (evaluateFlag(flag({ rolloutPct: 20 }), s).enabled)
        expect(evaluateFlag(flag({ rolloutPct: 60 }), s).enabled).toBe(true);
    }
  });
});

describe('parseScopes', () => {
  it('ignores anything that is not a scopes object, and empty scopes', () => {
    for (const value of [null, undefined, 'x', 3, [], {}, { roles: [] }, { roles: 'L1' }])
      expect(parseScopes(value)).toBeNull();
    expect(parseScopes({ roles: ['L1', 7], branchIds: ['b'] })).toEqual({ roles: ['L1'], branchIds: ['b'] });
  });
});
