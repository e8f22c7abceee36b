// Reads the alias table (config/tsconfig.paths.json, which TypeScript extends) and turns it into
// what Jest and webpack want, so the mapping of @member/shared is written down once.
const path = require('path');

const table = require('./tsconfig.paths.json').compilerOptions.paths;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const target = (entry) => path.resolve(__dirname, entry[0]);

/** Jest's moduleNameMapper: `@member/shared/*` → `^@member/shared/(.*)$`, targets made absolute. */
function jestModuleNameMapper() {
  return Object.fromEntries(
    Object.entries(table).map(([key, entry]) =>
      key.endsWith('/*') ? [`^${escape(key.slice(0, -2))}/(.*)$`, target(entry).replace(/\*$/, '$1')] : [`^${escape(key)}$`, target(entry)],
    ),
  );
}

/**
 * webpack's alias (a prefix match, so one entry covers `x` and `x/*`): each wildcard pattern's
 * folder. These folders are also what the Taro build must compile (`compile.include`), since they
 * hold TypeScript source outside the app's own `src`.
 */
function bundlerAliases() {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([key]) => key.endsWith('/*'))
      .map(([key, entry]) => [key.slice(0, -2), target(entry).replace(/[\\/]\*$/, '')]),
  );
}

module.exports = { jestModuleNameMapper, bundlerAliases };
