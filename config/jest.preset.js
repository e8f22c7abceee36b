// Shared Jest preset for the TypeScript packages: ts-jest in transpile-only mode (types are
// checked by `pnpm typecheck`), @member/shared resolved to its source through the one alias table
// (config/tsconfig.paths.json), and a closing summary line.
const path = require('path');
const { jestModuleNameMapper } = require('./aliases');

const root = path.resolve(__dirname, '..');

module.exports = function preset({ name, ...overrides }) {
  return {
    displayName: name,
    testEnvironment: 'node',
    roots: ['<rootDir>/src', '<rootDir>/test'].filter((d) => require('fs').existsSync(d.replace('<rootDir>', process.cwd()))),
    testMatch: ['**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, resolveJsonModule: true } }],
    },
    moduleNameMapper: jestModuleNameMapper(),
    reporters: ['default', [path.join(root, 'config/jest-summary-reporter.js'), { name }]],
    ...overrides,
  };
};
