// @ts-check
/** Unit tests of @chefcloud/db: specs beside the code, no database. */
const { unitConfig } = require('../../jest.shared');

module.exports = unitConfig('db:unit', {
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/engine/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
});
