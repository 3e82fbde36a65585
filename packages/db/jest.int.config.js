/** Integration tests of @chefcloud/db: the Prisma CLI and offline engine against real PostgreSQL. */
const shared = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  displayName: 'db:int',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
