module.exports = require('../../config/jest.preset')({
  name: 'bff',
  testTimeout: 60_000,
  // Each test file creates its own database; two workers match the two cores of CI machines.
  maxWorkers: 2,
});
