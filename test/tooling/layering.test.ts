// The checkers of `npm run check` catch what they are there to catch: each rule is shown
// firing on a deliberate violation, with the project's real configuration files
// (.dependency-cruiser.cjs, eslint.config.js, .prettierrc.json and .prettierignore),
// and a clean example passes. See docs/decisions/0006-layering-checks.md.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const depcruiseBin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const depcruiseConfig = path.join(root, '.dependency-cruiser.cjs');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
}
interface Run {
  exitCode: number;
  stdout: string;
}

/** `npm run layers` as package.json has it, with the configuration file named by its full path. */
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string | undefined>;
};
const layers = packageJson.scripts.layers ?? '';
assert.ok(layers.startsWith('depcruise '), 'package.json has a layers script that runs depcruise');
const layersArgs = layers
  .split(' ')
  .slice(1)
  .map((arg) => (arg === '.dependency-cruiser.cjs' ? depcruiseConfig : arg));

/** Runs dependency-cruiser's command line in `cwd` with these arguments. */
function depcruise(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [depcruiseBin, ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, stdout: stdout + stderr });
      },
    );
  });
}

/** Every violation dependency-cruiser finds in `cwd`, known ones included (their severity is then "ignore"). */
async function violationsIn(cwd: string): Promise<Violation[]> {
  const run = await depcruise(cwd, ['src', '--config', depcruiseConfig, '--output-type', 'json']);
  try {
    return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } catch {
    throw new Error(`dependency-cruiser printed no result (exit ${String(run.exitCode)}): ${run.stdout}`);
  }
}

/** A throwaway project shaped like this one: the real tsconfig.json, node_modules and the given files. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-layers-'));
  fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Files every example shares: they break no rule. */
const shared = {
  'src/config.ts': "export const config = { name: 'clasp' };\n",
  'src/domain/dates.ts': 'export const day = (iso: string): string => iso.slice(0, 10);\n',
  'src/domain/working-days.ts':
    "import Holidays from 'date-holidays';\nimport { day } from './dates.ts';\n" +
    "export const isHoliday = (iso: string): boolean => Boolean(new Holidays('GB').isHoliday(new Date(day(iso))));\n",
  'src/platform/db/database.ts':
    "import { config } from '../../config.ts';\nexport const db = { name: config.name };\n",
  'src/features/context.ts': "import { db } from '../platform/db/database.ts';\nexport const context = { db };\n",
  'src/features/alpha/alpha.repository.ts':
    "import { context } from '../context.ts';\nexport const findAlpha = (): string => context.db.name;\n",
  'src/features/alpha/alpha.service.ts':
    "import { findAlpha } from './alpha.repository.ts';\nimport { isHoliday } from '../../domain/working-days.ts';\n" +
    'export const alpha = (): string => (isHoliday(findAlpha()) ? findAlpha() : "");\n',
  'src/features/alpha/views/alpha.presenter.ts':
    "import type { alpha } from '../alpha.service.ts';\nexport type Alpha = ReturnType<typeof alpha>;\n",
  'src/features/beta/beta.service.ts':
    "import { alpha } from '../alpha/alpha.service.ts';\nimport type { Alpha } from './beta.types.ts';\n" +
    'export const beta = (): Alpha => alpha();\n',
  'src/features/beta/beta.types.ts': 'export type Alpha = string;\n',
  // A test beside the code may reach into another feature, as test/ may.
  'src/features/beta/beta.test.ts': "import { findAlpha } from '../alpha/alpha.repository.ts';\nfindAlpha();\n",
  'src/app.ts': "import { beta } from './features/beta/beta.service.ts';\nexport const app = beta;\n",
};

/** One deliberate violation of each rule, and which rule is to catch it. */
const violations: Array<{ rule: string; what: string; from: string; to: string; files: Record<string, string> }> = [
  {
    rule: 'domain-is-pure',
    what: 'the domain imports the platform',
    from: 'src/domain/rule.ts',
    to: 'src/platform/db/database.ts',
    files: { 'src/domain/rule.ts': "import { db } from '../platform/db/database.ts';\nexport const rule = db;\n" },
  },
  {
    rule: 'domain-is-pure',
    what: 'the domain imports a node builtin',
    from: 'src/domain/reads-files.ts',
    to: 'fs',
    files: { 'src/domain/reads-files.ts': "import fs from 'node:fs';\nexport const exists = fs.existsSync;\n" },
  },
  {
    rule: 'platform-not-to-features',
    what: 'the platform imports a feature (even its service)',
    from: 'src/platform/mail.ts',
    to: 'src/features/alpha/alpha.service.ts',
    files: {
      'src/platform/mail.ts': "import { alpha } from '../features/alpha/alpha.service.ts';\nexport const m = alpha;\n",
    },
  },
  {
    rule: 'feature-through-service',
    what: "a feature imports another feature's repository",
    from: 'src/features/gamma/gamma.service.ts',
    to: 'src/features/alpha/alpha.repository.ts',
    files: {
      'src/features/gamma/gamma.service.ts':
        "import { findAlpha } from '../alpha/alpha.repository.ts';\nexport const gamma = findAlpha;\n",
    },
  },
  {
    rule: 'feature-through-service',
    what: "a feature's subfolder imports another feature's presenter types",
    from: 'src/features/gamma/views/gamma.presenter.ts',
    to: 'src/features/alpha/views/alpha.presenter.ts',
    files: {
      'src/features/gamma/views/gamma.presenter.ts':
        "import type { Alpha } from '../../alpha/views/alpha.presenter.ts';\nexport type Gamma = Alpha;\n",
    },
  },
  {
    rule: 'not-to-composition-root',
    what: 'a feature imports the application',
    from: 'src/features/delta/delta.service.ts',
    to: 'src/app.ts',
    files: {
      'src/features/delta/delta.service.ts': "import { app } from '../../app.ts';\nexport const delta = app;\n",
    },
  },
  {
    rule: 'no-cycles',
    what: 'two modules import each other',
    from: 'src/features/epsilon/one.ts',
    to: 'src/features/epsilon/two.ts',
    files: {
      'src/features/epsilon/one.ts': "import { two } from './two.ts';\nexport const one = (): number => two() + 1;\n",
      'src/features/epsilon/two.ts':
        "import type { one } from './one.ts';\nexport const two = (): ReturnType<typeof one> => 2;\n",
    },
  },
];

// The code these tests lint is not on disk, so TypeScript's project cannot type it: the
// type-aware rules are left out here (they run on the real tree in `npm run lint`).
const WITHOUT_TYPES = tseslint.configs.disableTypeChecked;

describe('layering rules (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  const cleanDir = project(shared);
  const brokenDir = project({ ...shared, ...Object.assign({}, ...violations.map((v) => v.files)) });
  // Started at once, and run side by side.
  const clean = depcruise(cleanDir, layersArgs);
  const broken = depcruise(brokenDir, layersArgs);
  const found = violationsIn(brokenDir);
  const onThisTree = violationsIn(root);
  // A failure is reported by the test that awaits it, not as an unhandled rejection before then.
  for (const run of [found, onThisTree]) run.catch(() => undefined);
  after(async () => {
    await Promise.allSettled([clean, broken, found, onThisTree]);
    for (const dir of [cleanDir, brokenDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a project that keeps the layers passes `npm run layers`', async () => {
    const run = await clean;
    assert.equal(run.exitCode, 0, run.stdout);
    assert.match(run.stdout, /no dependency violations found/);
  });

  for (const v of violations) {
    test(`${v.rule} fails when ${v.what}`, async () => {
      const all = await found;
      assert.ok(
        all.some((x) => x.rule.name === v.rule && x.from === v.from && x.to === v.to && x.rule.severity === 'error'),
        `expected ${v.rule}: ${v.from} → ${v.to}; got ${JSON.stringify(all.map((x) => [x.rule.name, x.from, x.to]))}`,
      );
    });
  }

  test('`npm run layers` fails on them, and finds nothing else', async () => {
    const run = await broken;
    assert.notEqual(run.exitCode, 0);
    for (const v of violations) assert.ok(run.stdout.includes(`error ${v.rule}: ${v.from} → `), v.what);
    const unexpected = (await found).filter(
      (x) => !violations.some((v) => v.rule === x.rule.name && v.from === x.from),
    );
    assert.deepEqual(
      unexpected.map((x) => [x.rule.name, x.from, x.to]),
      [],
    );
  });

  test('this tree keeps every layer: no known violations are excepted', async () => {
    assert.deepEqual(
      (await onThisTree).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
      [],
    );
  });
});

describe('SQL only in repositories and migrations (ESLint, eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: root, overrideConfig: WITHOUT_TYPES });
  const query =
    "import type { Kysely } from 'kysely';\n" +
    'export async function names(db: Kysely<{ people: { name: string } }>): Promise<string[]> {\n' +
    "  const rows = await db.selectFrom('people').select('name').execute();\n" +
    '  return rows.map((row) => row.name);\n' +
    '}\n';
  const messages = async (code: string, file: string): Promise<Array<{ ruleId: string | null; line: number }>> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    assert.ok(result);
    return result.messages.map(({ ruleId, line }) => ({ ruleId, line }));
  };

  test('a selectFrom in a service fails', async () => {
    assert.deepEqual(await messages(query, 'src/features/alpha/alpha.service.ts'), [
      { ruleId: 'no-restricted-syntax', line: 3 },
    ]);
  });

  test('a query anywhere else outside a repository fails: a presenter, the platform, the command line', async () => {
    for (const file of ['src/features/alpha/views/alpha.presenter.ts', 'src/platform/mail.ts', 'src/cli-new.ts']) {
      assert.deepEqual(await messages(query, file), [{ ruleId: 'no-restricted-syntax', line: 3 }], file);
    }
  });

  test('the sql tag, its helpers and the other query starts fail in a service', async () => {
    const code =
      "import { sql } from 'kysely';\n" +
      "import type { Kysely } from 'kysely';\n" +
      'export async function all(db: Kysely<{ t: { id: number } }>): Promise<void> {\n' +
      "  await db.insertInto('t').values({ id: 1 }).execute();\n" +
      "  await db.updateTable('t').set({ id: 2 }).execute();\n" +
      "  await db.deleteFrom('t').execute();\n" +
      "  await db.with('x', (qb) => qb.selectFrom('t').selectAll()).selectFrom('x').selectAll().execute();\n" +
      '  await sql`select 1`.execute(db);\n' +
      "  await sql.raw('select 1').execute(db);\n" +
      '}\n';
    const found = await messages(code, 'src/features/alpha/alpha.service.ts');
    assert.deepEqual(
      found.map((m) => `${String(m.line)} ${m.ruleId ?? ''}`),
      [
        '1 no-restricted-imports',
        '4 no-restricted-syntax',
        '5 no-restricted-syntax',
        '6 no-restricted-syntax',
        '7 no-restricted-syntax',
        '7 no-restricted-syntax',
        '7 no-restricted-syntax',
        '8 no-restricted-syntax',
        '9 no-restricted-syntax',
      ],
    );
  });

  test('queries pass in a repository, a migration, the database platform and a test', async () => {
    for (const file of [
      'src/features/alpha/alpha.repository.ts',
      'src/features/alpha/versions/versions.repository.ts',
      'src/migrations/2030-01-01-001-example.ts',
      'src/platform/db/example.ts',
      'src/features/alpha/alpha.test.ts',
    ]) {
      assert.deepEqual(await messages(query, file), [], file);
    }
  });

  test('code that only looks alike passes: Array.prototype.with, a type import from kysely', async () => {
    const code =
      "import type { Kysely } from 'kysely';\n" +
      'export const first = (xs: number[], db: Kysely<object>): [number[], Kysely<object>] => [xs.with(0, 1), db];\n';
    assert.deepEqual(await messages(code, 'src/features/alpha/alpha.service.ts'), []);
  });
});

describe('formatting (Prettier, .prettierrc.json and .prettierignore)', () => {
  const file = path.join(root, 'src/features/alpha/alpha.service.ts');
  const check = async (code: string): Promise<boolean> => {
    const options = await prettier.resolveConfig(file, { editorconfig: false });
    return prettier.check(code, { ...options, filepath: file });
  };
  /** A call on one line as long as it can be within `width` characters. */
  const call = (width: number): string => {
    let line = 'export const x = f(argument0';
    for (let i = 1; `${line}, argument${String(i)});`.length <= width; i++) line += `, argument${String(i)}`;
    return `${line});\n`;
  };

  test('the configuration is the one in .prettierrc.json', async () => {
    const options = await prettier.resolveConfig(file, { editorconfig: false });
    assert.equal(options?.printWidth, 120);
    assert.equal(options.singleQuote, true);
  });

  test('formatted code passes, and a line of up to 120 characters is kept', async () => {
    const code = "import { alpha } from './alpha.ts';\n\nexport const beta = (): string => `${alpha()}!`;\n";
    assert.equal(await check(code), true);
    const long = `declare function f(...args: string[]): string;\n${call(120)}`;
    assert.ok((long.split('\n')[1] ?? '').length > 108);
    assert.equal(await check(long), true);
  });

  test('a line longer than 120 characters fails', async () => {
    const code =
      'declare function f(...args: string[]): string;\n' + `export const x = f(${'argument, '.repeat(11)}last);\n`;
    assert.ok((code.split('\n')[1] ?? '').length > 120);
    assert.equal(await check(code), false);
  });

  test('a string, regular expression or comment longer than 120 characters fails the lint', async () => {
    const eslint = new ESLint({ cwd: root, overrideConfig: WITHOUT_TYPES });
    const lines = [
      `export const message = '${'a long message '.repeat(8)}';\n`,
      `export const pattern = /${'(?:alpha|beta) '.repeat(8)}/;\n`,
      `// ${'a long comment '.repeat(9)}\nexport const y = 1;\n`,
    ];
    for (const code of lines) {
      assert.ok((code.split('\n')[0] ?? '').length > 120);
      const [result] = await eslint.lintText(code, { filePath: file });
      assert.deepEqual(
        result?.messages.map((m) => m.ruleId),
        ['max-len'],
      );
    }
  });

  test('unformatted code fails: double quotes, no semicolon, no trailing comma, four spaces', async () => {
    assert.equal(await check('export const a = "double";\n'), false);
    assert.equal(await check("export const a = 'no semicolon'\n"), false);
    assert.equal(await check("export const a = {\n    b: 'four spaces',\n};\n"), false);
    const members = Array.from({ length: 12 }, (_, i) => `key${String(i)}: ${String(i)}`);
    const longObject = `export const o = { ${members.join(', ')} };\n`;
    assert.equal(await check(longObject), false);
  });

  test('Nunjucks templates, data and Markdown are not checked; code, styles and scripts are', async () => {
    const ignorePath = [path.join(root, '.gitignore'), path.join(root, '.prettierignore')];
    const ignored = async (name: string): Promise<boolean> =>
      (await prettier.getFileInfo(path.join(root, name), { ignorePath })).ignored;
    for (const name of [
      'src/features/alpha/views/page.njk',
      'src/features/demo/data/rotherham-2015.json',
      'test/fixtures/exports/x.json',
      'docs/ARCHITECTURE.md',
      'package-lock.json',
      'node_modules/x/index.js',
    ]) {
      assert.equal(await ignored(name), true, name);
    }
    for (const name of ['src/app.ts', 'test/helpers/app.ts', 'scripts/test.mjs', 'src/platform/public/clasp.css']) {
      assert.equal(await ignored(name), false, name);
    }
  });
});
