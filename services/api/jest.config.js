/** Unit tests of the API: specs beside the code; collaborators mocked, no database. */
const shared = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  ...shared,
  displayName: 'api:unit',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
