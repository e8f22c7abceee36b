module.exports = require('../../config/jest.preset')({
  name: 'bff',
  testTimeout: 60_000,
  // Each test file creates its own database; two workers match the two cores of CI machines.
  maxWorkers: 2,
  // The 5xx gate: an answer of 500 or above fails the test unless the test allowed it.
  setupFilesAfterEnv: ['<rootDir>/test/support/server-errors.setup.ts'],
});
