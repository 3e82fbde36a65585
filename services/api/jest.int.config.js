/** Integration tests of the API: real PostgreSQL migrated with `prisma migrate deploy`, HTTP via supertest. */
const shared = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  displayName: 'api:int',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
