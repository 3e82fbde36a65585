// @ts-check
/** The local rehearsal of a Render deploy, end to end (real embedded PostgreSQL, the built API). */
const { integrationConfig } = require('../../jest.shared');

module.exports = {
  // No test database here (each rehearsal starts its own); the global setup only gives the run a
  // temp folder of its own, which must be empty at the end.
  ...integrationConfig('deploy:int'),
  // Two files at a time: the rehearsals (zero-downtime-expand and -rename, each ~2 minutes; one
  // file of ~230 s until they were split) spend much of their time in Render's waits (phases,
  // health checks, drains), so they run side by side, and the other files beside them rather
  // than after (CI's time). Each file has its own databases, ports, temp folders and worktree.
  maxWorkers: 2,
  testTimeout: 300000,
};
