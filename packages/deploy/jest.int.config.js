// @ts-check
/** The local rehearsal of a Render deploy, end to end (real embedded PostgreSQL, the built API). */
const { integrationConfig } = require('../../jest.shared');

module.exports = {
  ...integrationConfig('deploy:int'),
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 300000,
};
