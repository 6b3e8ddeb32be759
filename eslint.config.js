import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// SQL lives in repositories and migrations (docs/decisions/0006-layering-checks.md).
// A query starts with one of these Kysely calls, or is written with the `sql` tag.
const QUERY_STARTS = [
  'selectFrom',
  'selectNoFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
];
const SQL_MESSAGE = 'SQL belongs in a *.repository.ts (or a migration): call a repository function from here instead.';
const SQL_SYNTAX = [
  { selector: `CallExpression[callee.property.name=/^(${QUERY_STARTS.join('|')})$/]`, message: SQL_MESSAGE },
  // db.with('name', (qb) => …) and withRecursive; Array.prototype.with(index, value) has no function argument.
  {
    selector: 'CallExpression[callee.property.name=/^with(Recursive)?$/][arguments.1.type=/FunctionExpression$/]',
    message: SQL_MESSAGE,
  },
  { selector: "TaggedTemplateExpression[tag.name='sql']", message: SQL_MESSAGE },
  { selector: 'MemberExpression[object.name=/^(sql|CompiledQuery)$/]', message: SQL_MESSAGE },
];
export const SQL_RULES = {
  'no-restricted-syntax': ['error', ...SQL_SYNTAX],
  'no-restricted-imports': [
    'error',
    { paths: [{ name: 'kysely', importNames: ['sql', 'CompiledQuery'], message: SQL_MESSAGE }] },
  ],
};

// Where SQL may be written.
const SQL_HOMES = [
  'src/**/*.repository.ts',
  'src/migrations/**',
  'src/platform/db/**',
  'src/**/*.test.ts',
  'src/features/imports/test-workers/**',
];

export default tseslint.config(
  // docs/examples is type-checked by its own test, against types generated from the running API.
  { ignores: ['node_modules/', 'dist/', 'data/', 'scratch/', 'test-results/', 'coverage/', 'docs/examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        crypto: 'readonly',
        TextEncoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      // Prettier wraps code at 120 but never splits strings, regular expressions or comments.
      'max-len': ['error', { code: 120, tabWidth: 2 }],
    },
  },
  // Type-aware lint at typescript-eslint's strictest level, on every TypeScript file
  // (docs/decisions/0007-one-house.md).
  ...tseslint.configs.strictTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers read naturally in messages ("Recommendation 3 of 12"); anything else must be made text on purpose.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => doSomething()` in callbacks is clear enough; a void value returned elsewhere is refused.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // node:test's describe and it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['it', 'describe', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'suite'],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers, typed `any` by the injection library, and assert their shape at run time.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: SQL_HOMES,
    rules: SQL_RULES,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
