// @ts-check
/**
 * Integration tests of the API: real PostgreSQL migrated with `prisma migrate deploy`, HTTP via
 * supertest; every response is validated against the OpenAPI document (test/support/openapi-setup.ts).
 */
const { spawnSync } = require('node:child_process');
const { integrationConfig } = require('../../jest.shared');

/**
 * Test files that run Debian's `prometheus` server (PROMETHEUS_BIN, else `prometheus` on PATH).
 * On a machine without it they are left out of the run, saying so on stderr, so `npm test`
 * passes where Prometheus cannot be installed; .ci/run installs it with apt. When the binary
 * is there (even a broken one) they run and fail on their own; REQUIRE_PROMETHEUS=1 makes a
 * missing binary run them too (and fail).
 */
const NEEDS_PROMETHEUS = ['prometheus-scrape.int-spec.ts'];

function prometheusFound() {
  if (process.env.PROMETHEUS_BIN || process.env.REQUIRE_PROMETHEUS === '1') return true;
  return spawnSync('sh', ['-c', 'command -v prometheus'], { stdio: 'ignore' }).status === 0;
}

const config = integrationConfig('api:int', {
  setupFilesAfterEnv: ['<rootDir>/test/support/openapi-setup.ts'],
});
if (!prometheusFound()) {
  for (const file of NEEDS_PROMETHEUS)
    process.stderr.write(
      `== SKIPPED test/${file}: Prometheus is not installed (apt-get install -y prometheus, as .ci/run does; ` +
        'or set PROMETHEUS_BIN). REQUIRE_PROMETHEUS=1 makes this a failure.\n',
    );
  config.testPathIgnorePatterns = [
    '/node_modules/',
    ...NEEDS_PROMETHEUS.map((f) => `/test/${f.replace(/\./g, '\\.')}$`),
  ];
}

/** @type {import('jest').Config} */
module.exports = config;
