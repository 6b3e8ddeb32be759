// Layering rules for src/, checked by `npm run layers` (part of `npm run check` and CI).
// See docs/decisions/0006-layering-checks.md. test/, bench/ and scripts/ are not cruised;
// tests that sit beside the code (*.test.ts, imports/test-workers/) are free of the layer
// rules, like test/, but not of the rule against cycles.

/** Files that only tests load. */
const TESTS = '(\\.test\\.ts$|/test-workers/)';

/** npm packages the domain may use: it is pure rules, so each one here is a decision. */
const DOMAIN_PACKAGES = ['date-holidays'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain holds pure rules: it imports only its own files and the npm packages listed in ' +
        'DOMAIN_PACKAGES in .dependency-cruiser.cjs (no platform, features, config, migrations or node builtins).',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: TESTS },
      to: {
        pathNot: ['^src/domain/', ...DOMAIN_PACKAGES.map((name) => `(^|/)node_modules/${name}/`)],
      },
    },
    {
      name: 'platform-not-to-features',
      comment: 'src/platform is below the features: it must never import from src/features.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: TESTS },
      to: { path: '^src/features/' },
    },
    {
      name: 'feature-through-service',
      comment:
        'A feature reaches another feature only through its *.service.ts files (type imports included). ' +
        'Subfolders belong to their top folder: features/outputs/versions is the feature "outputs". ' +
        'src/features/context.ts is shared by all features.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/features/[^/]+/', pathNot: ['^src/features/$1/', '\\.service\\.ts$'] },
    },
    {
      name: 'not-to-composition-root',
      comment:
        'src/app.ts, src/server.ts, src/main.ts and src/cli*.ts put the application together; ' +
        'nothing below them (domain, platform, features, migrations) imports them.',
      severity: 'error',
      from: { path: '^src/(domain|platform|features|migrations)/', pathNot: TESTS },
      to: { path: '^src/(app|server|main|cli[^/]*)\\.ts$' },
    },
    {
      name: 'migrations-stand-alone',
      comment: 'A migration is frozen once run: it uses Kysely and the database platform, never a feature.',
      severity: 'error',
      from: { path: '^src/migrations/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles anywhere in src, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-tests',
      comment: 'Application code does not import test files or the test/ folder.',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: ['\\.test\\.ts$', '^test/'] },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves to a file or a package (a misspelt path would hide a dependency).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too (verbatimModuleSyntax keeps them as `import type`).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'require', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
