// Prints one plain closing line ("tests: N passed, N failed") after Jest's own summary, and when
// TEST_SUMMARY_DIR is set (scripts/test.mjs) leaves the counts there for the overall total.
const fs = require('fs');
const path = require('path');

class SummaryReporter {
  constructor(globalConfig, options) {
    this.name = (options && options.name) || 'jest';
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    if (process.env.TEST_SUMMARY_DIR) {
      const file = path.join(process.env.TEST_SUMMARY_DIR, `${this.name}-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify({ passed: results.numPassedTests, failed, skipped }));
    }
  }
}
module.exports = SummaryReporter;
