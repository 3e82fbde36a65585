// @ts-check
/** The local rehearsal of a Render deploy, end to end (real embedded PostgreSQL, the built API). */
const { integrationConfig } = require('../../jest.shared');

module.exports = {
  ...integrationConfig('deploy:int'),
  globalSetup: undefined,
  globalTeardown: undefined,
  // Two files at a time: the rehearsals (zero-downtime.int-spec, ~230 s) spend much of their
  // time in Render's waits (phases, health checks, drains), so the other files run beside them
  // rather than after (CI's time). Each file has its own databases, ports and temp folders.
  maxWorkers: 2,
  testTimeout: 300000,
};
