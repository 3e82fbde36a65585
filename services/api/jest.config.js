// @ts-check
/** Unit tests of the API: specs beside the code; collaborators mocked, no database. */
const { unitConfig } = require('../../jest.shared');

// The write block and the maintenance check are what took production down: every line and
// branch of them must be exercised by unit tests (the build fails below 100%).
const FULLY_COVERED = { lines: 100, branches: 100, functions: 100 };

module.exports = unitConfig('api:unit', {
  collectCoverage: true,
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.spec.ts', '!<rootDir>/src/main.ts'],
  coverageReporters: ['text-summary'],
  coverageDirectory: '<rootDir>/coverage',
  coverageThreshold: {
    global: {},
    './src/maintenance/maintenance.service.ts': FULLY_COVERED,
    './src/maintenance/write-block.guard.ts': FULLY_COVERED,
    './src/maintenance/allow-during-maintenance.decorator.ts': FULLY_COVERED,
  },
});
