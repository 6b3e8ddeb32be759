#!/usr/bin/env node
// Runs every test: the domain unit tests, the integration suite on SQLite and on PostgreSQL,
// and the browser tests in Chromium. Sets up the local PostgreSQL cluster when
// TEST_DATABASE_URL is not given. Extra arguments are passed to node --test (e.g. a file).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(rel));
    else if (entry.name.endsWith('.test.ts')) found.push(rel);
  }
  return found.sort();
}

const env = { ...process.env };
if (!env.TEST_DATABASE_URL) {
  try {
    env.TEST_DATABASE_URL = execFileSync('bash', [path.join(root, 'scripts/setup-test-postgres.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch {
    console.error(
      'Could not set up PostgreSQL for the tests; the PostgreSQL suites will fail. ' +
        'Set TEST_DATABASE_URL to a database to use.',
    );
  }
}
env.CHROMIUM_PATH ??= '/usr/bin/chromium';

const args = process.argv.slice(2);
const targets = args.length ? args : ['src', 'test'];
const files = targets.flatMap((t) => (fs.statSync(path.join(root, t)).isDirectory() ? findTests(t) : [t]));
const tapFile = path.join(root, 'test-results', 'results.tap');
fs.mkdirSync(path.dirname(tapFile), { recursive: true });

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    // A test that waits for something that never comes fails after 15 minutes instead of using up
    // CI's 90: the slowest suite takes about 4 minutes on 2 busy cores.
    '--test-timeout=900000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, env, stdio: 'inherit' },
);

child.on('exit', (code, signal) => {
  // One plain closing line, read the same way whatever the reporter prints above it.
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const total = (name) =>
    [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  const passed = total('pass');
  const failed = total('fail') + total('cancelled');
  const skipped = total('skipped') + total('todo');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  // A run that executed no test is a failure, not a pass.
  process.exit(signal || passed + failed === 0 ? 1 : (code ?? 1));
});
