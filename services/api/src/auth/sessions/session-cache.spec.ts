import { SessionCache } from './session-cache';
import type { SessionSnapshot } from './sessions.repository';

const snap = (id: string, userId = 'u1') => ({ id, userId }) as SessionSnapshot;

describe('SessionCache', () => {
  it('expires entries after the TTL', () => {
    let now = 1_000;
    const cache = new SessionCache(100, 10, () => now);
    cache.set('a', snap('a'));
    expect(cache.get('a')).toEqual(snap('a'));
    now += 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('caches a missing session as null', () => {
    const cache = new SessionCache(100);
    cache.set('gone', null);
    expect(cache.get('gone')).toBeNull();
  });

  it('drops the oldest entry beyond its bound', () => {
    const cache = new SessionCache(1_000, 2);
    cache.set('a', snap('a'));
    cache.set('b', snap('b'));
    cache.set('c', snap('c'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual(snap('c'));
    expect(cache.size).toBe(2);
  });

  it('evicts one session or every session of a user', () => {
    const cache = new SessionCache(1_000);
    cache.set('a', snap('a', 'u1'));
    cache.set('b', snap('b', 'u1'));
    cache.set('c', snap('c', 'u2'));
    cache.evict('c');
    expect(cache.get('c')).toBeUndefined();
    cache.evictUser('u1');
    expect(cache.size).toBe(0);
  });
});
