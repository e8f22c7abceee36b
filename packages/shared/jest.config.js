module.exports = require('../../config/jest.preset')({
  name: 'shared',
  // The rules both ends run: CI fails when line coverage of the package drops below 95 %.
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: { global: { lines: 95 } },
});
