import { badgeCode, hashBadge } from './badge-hash';

describe('badge hashing', () => {
  it('reads the code of an original CLOUDBADGE swipe, else the trimmed swipe', () => {
    expect(badgeCode('CLOUDBADGE:ORG1-CASHIER001')).toBe('ORG1-CASHIER001');
    expect(badgeCode(' ORG1-CASHIER001 ')).toBe('ORG1-CASHIER001');
    expect(badgeCode('CLOUDBADGE:bad code')).toBe('CLOUDBADGE:bad code');
  });

  it('is a keyed hash: the same code gives the same hash under one key, another under another key', () => {
    const a = hashBadge('k1', 'CLOUDBADGE:W1');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashBadge('k1', 'W1')).toBe(a);
    expect(hashBadge('k2', 'W1')).not.toBe(a);
  });
});
