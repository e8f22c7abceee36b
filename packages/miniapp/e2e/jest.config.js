// Browser tests: the real H5 build in Debian's Chromium (playwright-core) against the real BFF.
const path = require('path');
const preset = require('../../../config/jest.preset');

module.exports = preset({
  name: 'e2e',
  rootDir: path.resolve(__dirname),
  roots: ['<rootDir>'],
  testMatch: ['**/*.e2e.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
});
