/** Unit tests of @chefcloud/db: specs beside the code, no database. */
const shared = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  displayName: 'db:unit',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/engine/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
