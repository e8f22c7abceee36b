// `pnpm test:soak` (a step of `pnpm test`): the crash suites (test/*.soak.ts), which start, kill and restart the compiled BFF
// and a MariaDB server of their own (free ports, a fresh data directory); one at a time.
module.exports = require('../../config/jest.preset')({
  name: 'bff-soak',
  testMatch: ['**/*.soak.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
  // Keep-alive sockets of the HTTP clients to processes that were killed would hold the run open.
  forceExit: true,
});
