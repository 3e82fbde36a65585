// @ts-check
/** The local rehearsal of a Render deploy, end to end (real embedded PostgreSQL, the built API). */
const { integrationConfig } = require('../../jest.shared');

module.exports = {
  ...integrationConfig('deploy:int'),
  globalSetup: undefined,
  globalTeardown: undefined,
  // Two files at a time: the rehearsals (zero-downtime-expand and -rename, each ~2 minutes; one
  // file of ~230 s until they were split) spend much of their time in Render's waits (phases,
  // health checks, drains), so they run side by side, and the other files beside them rather
  // than after (CI's time). Each file has its own databases, ports, temp folders and worktree.
  maxWorkers: 2,
  testTimeout: 300000,
};
