// `clasp audit verify` and the PostgreSQL roles as an operator meets them: through the command.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../src/platform/db/database.ts';
import { seedHistory } from './history-fixtures.ts';

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
    if (!env.DATABASE_OWNER_URL) delete cleanEnv.DATABASE_OWNER_URL;
    execFile(process.execPath, [clasp, ...args], { env: cleanEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('clasp audit verify on sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-audit-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says the trail is intact after normal use, and names the event edited behind the app', async () => {
    const env = { CLASP_DATA_DIR: dir };
    assert.equal((await run(['migrate'], env)).code, 0);
    const file = path.join(dir, 'clasp.db');
    const handle = await openDatabase({ url: null, sqliteFile: file });
    await seedHistory(handle.db);
    await handle.close();

    const intact = await run(['audit', 'verify'], env);
    assert.equal(intact.code, 0, intact.stderr);
    assert.equal(intact.stdout, 'The audit trail is intact: 3 events, 1 versions.\n');

    const sqlite = new SQLite(file);
    sqlite.exec('drop trigger audit_events_no_update');
    sqlite.exec('update audit_events set after = \'{"action":"rewritten"}\' where id = 3');
    sqlite.close();
    const broken = await run(['audit', 'verify'], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /The audit trail is broken: Audit event 3 was changed after it was written/);
  });
});

describe('clasp migrate with an owner role on postgres', () => {
  const base = process.env.TEST_DATABASE_URL;
  const suffix = randomBytes(4).toString('hex');
  const name = `clasp_roles_${suffix}`;
  const role = `clasp_app_${suffix}`;
  const password = randomBytes(12).toString('hex');

  async function asSuperuser(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  after(async () => {
    if (!base) return;
    await asSuperuser(`drop database if exists ${name} with (force)`);
    await asSuperuser(`drop role if exists ${role}`);
  });

  it('migrates as the owner, grants the app role, and the app loads the demo and verifies it', async () => {
    assert.ok(base, 'TEST_DATABASE_URL is not set: run the tests with "npm test"');
    await asSuperuser(`create database ${name}`);
    await asSuperuser(`create role ${role} login password '${password}'`);
    const ownerUrl = new URL(base);
    ownerUrl.pathname = `/${name}`;
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = password;
    const env = { DATABASE_URL: appUrl.toString(), DATABASE_OWNER_URL: ownerUrl.toString() };

    // Without the owner, the app's role cannot create the tables.
    const alone = await run(['migrate'], { DATABASE_URL: appUrl.toString() });
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /permission denied/);

    const migrated = await run(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.equal(migrated.stderr, '', 'no warnings: the app has a role of its own');

    const grants = await run(['db', 'grants'], env);
    assert.equal(grants.code, 0, grants.stderr);
    assert.match(grants.stdout, new RegExp(`grant select, insert on "public"."audit_events" to "${role}";`));
    assert.match(grants.stdout, new RegExp(`grant select, insert, update, delete on "public"."actions" to "${role}";`));

    // The app alone, already migrated: it only checks the migrations and gets on with the work.
    const demo = await run(['demo'], { DATABASE_URL: appUrl.toString() });
    assert.equal(demo.code, 0, demo.stderr);
    const verified = await run(['audit', 'verify'], { DATABASE_URL: appUrl.toString() });
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^The audit trail is intact: \d+ events, \d+ versions\.\n$/);

    const app = new pg.Client({ connectionString: appUrl.toString() });
    await app.connect();
    try {
      await assert.rejects(app.query('truncate audit_events'), /permission denied/);
      await assert.rejects(app.query('alter table audit_events disable trigger all'), /must be owner/);
    } finally {
      await app.end();
    }
  });

  it('warns when the app connects as the owner', async () => {
    assert.ok(base);
    const ownerUrl = new URL(base);
    ownerUrl.pathname = `/${name}`;
    const same = await run(['migrate'], { DATABASE_URL: ownerUrl.toString(), DATABASE_OWNER_URL: ownerUrl.toString() });
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stderr, /both connect as "clasp": the app can disable the triggers/);
    assert.match(same.stderr, /is a superuser/);
  });
});
