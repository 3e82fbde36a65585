/**
 * The container check (`npm run test:containers`): builds and runs the image, compose, the
 * incident in containers and the integration suite on testcontainers. Needs a Docker engine;
 * not part of `npm test`.
 */
const { integrationConfig } = require('../../jest.shared');

module.exports = {
  ...integrationConfig('containers'),
  testMatch: ['<rootDir>/test/containers/**/*.containers-spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 900000,
};
