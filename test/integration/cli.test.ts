import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const clasp = path.resolve(import.meta.dirname, '../../bin/clasp');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
    if (!env.DATABASE_URL) delete cleanEnv.DATABASE_URL;
    execFile(process.execPath, [clasp, ...args], { env: cleanEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('clasp command on sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-cli-'));
  const env = { CLASP_DATA_DIR: dir };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('explains itself', async () => {
    const r = await run(['--help'], env);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /clasp <command>/);
    assert.match(r.stdout, /reviews \[--json\]/);
    assert.match(r.stdout, /routes \[--json\] \[--markdown\]/);
  });

  it('lists the routes with who may use them and their files, without touching the database', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-routes-'));
    const [plain, json, markdown, unknown] = await Promise.all([
      run(['routes'], { CLASP_DATA_DIR: empty }),
      run(['routes', '--json'], { CLASP_DATA_DIR: empty }),
      run(['routes', '--markdown'], { CLASP_DATA_DIR: empty }),
      run(['routes', '--frobnicate'], { CLASP_DATA_DIR: empty }),
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    // Columns: method, path, who may use it, file.
    const lines = plain.stdout.trim().split('\n');
    const columns = lines.map((line) => line.split(/ {2,}/));
    const row = (method: string, url: string) => columns.find((c) => c[0] === method && c[1] === url)?.slice(2);
    const action = row('GET', '/reviews/:reviewId/actions/:actionId');
    assert.deepEqual(action, ['read', 'src/features/actions/actions.routes.ts']);
    const confirm = row('POST', '/imports/:importId/confirm');
    assert.deepEqual(confirm, ['the person who started the import', 'src/features/imports/imports.routes.ts']);
    assert.deepEqual(row('GET', '/static/*'), ['public', 'src/platform/http/static-files.ts']);
    assert.ok(
      columns.every((c) => c.length === 4 && c[0] !== 'HEAD'),
      'one line a route, four columns',
    );

    assert.equal(json.code, 0, json.stderr);
    const routes = JSON.parse(json.stdout) as { method: string; path: string; access: string; file: string }[];
    assert.equal(routes.length, lines.length);
    const put = routes.find((r) => r.method === 'PUT' && r.path === '/api/reviews/:reviewId/actions/:actionId');
    assert.deepEqual(put, {
      method: 'PUT',
      path: '/api/reviews/:reviewId/actions/:actionId',
      access: 'edit the trust action',
      file: 'src/features/actions/actions-api.routes.ts',
    });

    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /^\| method \| path \| who may use it \| file in src\/ \|$/m);
    assert.match(markdown.stdout, /^\| GET \| `\/health` \| public \| `platform\/health\.ts` \|$/m);

    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /^clasp: Unknown option '--frobnicate'[^\n]*\n$/);
    // The app was built on a database in memory: nothing was written where the data would be.
    assert.deepEqual(fs.readdirSync(empty), []);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('stops quietly when the reader of its output stops early, as `clasp routes | head -1` does', async () => {
    const child = spawn(process.execPath, [clasp, 'routes'], {
      env: { ...process.env, LOG_LEVEL: 'silent', CLASP_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The first line read, the pipe is closed: the rest of the list has nowhere to go.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('migrates, loads the demo once, and lists it', async () => {
    const m = await run(['migrate'], env);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, new RegExp(`The database ${path.join(dir, 'clasp.db')} is up to date`));
    const none = await run(['reviews'], env);
    assert.match(none.stdout, /There are no reviews/);

    const first = await run(['demo'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Loaded the demo review \(id 1\)/);
    const second = await run(['demo'], env);
    assert.match(second.stdout, /already loaded \(id 1\); nothing changed/);

    const list = await run(['reviews', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const reviews = JSON.parse(list.stdout) as { id: number; area: string; recommendations: number }[];
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]?.area, 'Rotherham');
    assert.equal(reviews[0].recommendations, 24);

    const table = await run(['reviews'], env);
    assert.match(table.stdout, /^ID\tArea\tPublished/m);
    assert.match(table.stdout, /^1\tRotherham\t2015-07-14\t/m);
  });

  it('refuses unknown commands and bad options with a message', async () => {
    const r = await run(['frobnicate'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown command "frobnicate"/);
    const p = await run(['serve', '--port', 'eighty'], env);
    assert.equal(p.code, 2);
    assert.match(p.stderr, /--port must be a whole number/);
  });

  it('names the file when the database cannot be opened', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the data folder should be');
    const r = await run(['migrate'], { CLASP_DATA_DIR: blocker });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`Could not open the SQLite database ${path.join(blocker, 'clasp.db')}`));
  });

  it('names the file when the database cannot be migrated', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-broken-'));
    fs.writeFileSync(path.join(broken, 'clasp.db'), 'this is not a database, but a text file');
    const r = await run(['migrate'], { CLASP_DATA_DIR: broken });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${path.join(broken, 'clasp.db')}.*file is not a database`));
    fs.rmSync(broken, { recursive: true, force: true });
  });

  it('names the URL when PostgreSQL cannot be reached, without its password', async () => {
    const r = await run(['migrate'], { DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nowhere' });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /Could not connect to the PostgreSQL database postgres:\/\/someone:\*\*\*\*@127\.0\.0\.1:1\/nowhere/,
    );
    assert.ok(!r.stderr.includes('secret'));
  });
});

describe('clasp command on postgres', () => {
  const base = process.env.TEST_DATABASE_URL;
  const name = `clasp_cli_${randomBytes(4).toString('hex')}`;
  let url = '';

  after(async () => {
    if (!base) return;
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  it('loads the demo once into a PostgreSQL database and lists it', async () => {
    assert.ok(base, 'TEST_DATABASE_URL is not set: run the tests with "npm test"');
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    const parsed = new URL(base);
    parsed.pathname = `/${name}`;
    url = parsed.toString();

    const first = await run(['demo'], { DATABASE_URL: url });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Loaded the demo review/);
    const second = await run(['demo'], { DATABASE_URL: url });
    assert.match(second.stdout, /nothing changed/);
    const list = await run(['reviews', '--json'], { DATABASE_URL: url });
    const reviews = JSON.parse(list.stdout) as { recommendations: number }[];
    assert.equal(reviews.length, 1);
    assert.equal(reviews[0]?.recommendations, 24);
  });
});
