// The compiled weapp bundle in WeChat's component test harness (miniprogram-simulate), its requests
// answered by contract-checked fixtures (backend.ts). The weapp build must exist (pnpm build:weapp).
const path = require('path');
const preset = require('../../../config/jest.preset');

module.exports = preset({
  name: 'weapp',
  rootDir: path.resolve(__dirname),
  roots: ['<rootDir>'],
  // simulate renders pages into a DOM (j-component on jsdom), as its own documentation sets up.
  testEnvironment: 'jsdom',
  testTimeout: 60_000,
  maxWorkers: 1,
});
