// ESLint for the whole workspace (`pnpm lint` runs it, then Prettier's check).
// TypeScript: typescript-eslint's strict type-checked set, each package against the tsconfig that
// type-checks its files. The mini-program adds React's rules of hooks. Plain JavaScript (scripts,
// Jest and Babel configs): ESLint's recommended rules. Formatting is Prettier's alone
// (eslint-config-prettier, last, turns off the rules it would fight with).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Type-aware linting of `files` against one tsconfig (paths relative to the repository root). */
const typed = (files, project) => ({
  files,
  languageOptions: { parserOptions: { project, tsconfigRootDir: root } },
});

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/dist-bench/',
    '**/.data/',
    '**/coverage/',
    '**/.swc/',
    '**/.cache/',
    'packages/*/assets/',
    'packages/miniapp/e2e/artifacts/',
  ]),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,

  // ── TypeScript ───────────────────────────────────────────────────────────────────────────────
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.strictTypeChecked],
    rules: {
      // Numbers read naturally in messages, keys and paths (`${count} rows`, `/orders/${id}`);
      // everything else (nullable, any, objects) must still be made a string on purpose.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // Arrow shorthand that returns a void call is the idiom of event handlers and Jest
      // (`onClick={() => setOpen(false)}`, `expect(() => parse(x)).toThrow()`); a void value used
      // anywhere else (assigned, returned from a block, in a condition) is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { storeId: _storeId, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  typed(['packages/shared/src/**', 'packages/shared/test/**'], 'packages/shared/tsconfig.test.json'),
  typed(['packages/bff/src/**', 'packages/bff/test/**', 'packages/bff/bench/**', 'packages/bff/testing/**'], 'packages/bff/tsconfig.test.json'),
  typed(['packages/miniapp/src/**', 'packages/miniapp/types/**', 'packages/miniapp/config/**'], 'packages/miniapp/tsconfig.json'),
  typed(['packages/miniapp/e2e/**'], 'packages/miniapp/e2e/tsconfig.json'),
  typed(['packages/miniapp/weapp-test/**'], 'packages/miniapp/weapp-test/tsconfig.json'),
  {
    // TypeORM declares EntitySchema's options bag as a class (EntitySchemaOptions, fields only)
    // and documents passing an object literal to `new EntitySchema({...})`, as every entity here does.
    files: ['packages/bff/src/db/entities.ts'],
    rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off' },
  },
  // config/aliases.d.ts declares config/aliases.js for TypeScript and belongs to no program.
  {
    files: ['config/*.d.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },

  // ── Tests ────────────────────────────────────────────────────────────────────────────────────
  {
    // A `!` on what a test just set up states the test's assumption; when it is wrong the test
    // fails on the spot, which is what a check written out by hand would do.
    files: ['**/*.test.ts', '**/*.test.tsx', 'packages/*/test/**', 'packages/miniapp/e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // supertest types every response body as `any`: the integration tests (and the factories,
    // which log in and register through the API) read it field by field and assert on it; the
    // assertions are the checks. The rest of the support code stays fully checked.
    files: ['packages/bff/test/*.test.ts', 'packages/bff/src/routes/**/*.test.ts', 'packages/bff/test/support/factories.ts'],
    rules: {
      // Fields of such bodies also go into paths and sums (`/orders/${order.id}`, `a.pointsReversed + b.pointsReversed`).
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowAny: true, allowNumber: true, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      '@typescript-eslint/restrict-plus-operands': [
        'error',
        { allowAny: true, allowBoolean: false, allowNullish: false, allowNumberAndString: false, allowRegExp: false },
      ],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // ── Mini-program: hooks ──────────────────────────────────────────────────────────────────────
  {
    files: ['packages/miniapp/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  // ── Plain JavaScript ─────────────────────────────────────────────────────────────────────────
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },

  prettier,
);
