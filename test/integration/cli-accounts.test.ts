import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/platform/db/database.ts';
import { verifyPassword } from '../../src/platform/auth/secrets.ts';

const clasp = path.resolve(import.meta.dirname, '../../bin/clasp');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `clasp` as a person would in a terminal, optionally typing into its standard input. */
function run(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cleanEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
    delete cleanEnv.DATABASE_URL;
    const child = spawn(process.execPath, [clasp, ...args], { env: cleanEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('clasp user, member and token commands', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-cli-accounts-'));
  const env = { CLASP_DATA_DIR: dir };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withDb<T>(use: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
    const handle = await openDatabase({ url: null, sqliteFile: path.join(dir, 'clasp.db') });
    try {
      return await use(handle.db);
    } finally {
      await handle.close();
    }
  }

  before(async () => {
    const demo = await run(['demo'], env);
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /Demo accounts, each with the password clasp-sample-2016:/);
    assert.match(demo.stdout, /editor@demo\.clasp\.invalid\teditor for The Rotherham NHS Foundation Trust/);
  });

  it('makes an account with a password read from standard input, stored lower-case and hashed', async () => {
    const r = await run(
      ['user', 'add', '--email', 'Nadia.Nurse@Example.NHS.uk', '--name', 'Nadia Nurse', '--password-stdin'],
      env,
      'three random words here\n',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Made the account nadia\.nurse@example\.nhs\.uk\./);
    const user = await withDb((db) =>
      db.selectFrom('users').selectAll().where('email', '=', 'nadia.nurse@example.nhs.uk').executeTakeFirstOrThrow(),
    );
    assert.match(user.password_hash ?? '', /^\$argon2id\$/);
    assert.equal(
      await verifyPassword(user.password_hash, 'three random words here'),
      true,
      'the trailing newline is not part of the password',
    );
  });

  it('prints a single-use set-password link when no password is given', async () => {
    const r = await run(['user', 'add', '--email', 'ivan@example.nhs.uk', '--name', 'Ivan Invited', '--admin'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Made the account ivan@example\.nhs\.uk \(system administrator\)\./);
    const token = /http:\/\/127\.0\.0\.1:3000\/reset-password\/([\w-]{43})/.exec(r.stdout)?.[1];
    assert.ok(token, 'the link is printed');
    const stored = await withDb(async (db) => {
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'ivan@example.nhs.uk')
        .executeTakeFirstOrThrow();
      const links = await db.selectFrom('one_time_tokens').selectAll().where('user_id', '=', user.id).execute();
      const audit = await db
        .selectFrom('audit_events')
        .select(['actor', 'action'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(user.id))
        .orderBy('id')
        .execute();
      return { user, links, audit };
    });
    assert.equal(stored.user.is_admin, 1);
    assert.equal(stored.user.password_hash, null);
    assert.equal(stored.links.length, 1);
    const link = stored.links[0];
    assert.equal(link?.purpose, 'invite');
    assert.equal(
      link.token_hash,
      createHash('sha256').update(token).digest('hex'),
      'only the hash of the token is stored',
    );
    const days = (Date.parse(link.expires_at) - Date.parse(link.created_at)) / 86_400_000;
    assert.equal(days, 7);
    assert.deepEqual(
      stored.audit.map((a) => `${a.actor}: ${a.action}`),
      ['command line: created', 'command line: invited'],
    );
  });

  it('refuses bad input with one line and exit code 2', async () => {
    const cases: [string[], string, RegExp][] = [
      [
        ['user', 'add', '--email', 'nadia.nurse@example.nhs.uk', '--name', 'Again'],
        '',
        /An account with this email address already exists/,
      ],
      [
        ['user', 'add', '--email', 'short@example.nhs.uk', '--name', 'Short', '--password-stdin'],
        'tiny\n',
        /Password must be 12 characters or more/,
      ],
      [
        ['user', 'add', '--email', 'common@example.nhs.uk', '--name', 'Common', '--password-stdin'],
        'qwertyuiop123\n',
        /Password is too common/,
      ],
      [
        ['user', 'add', '--email', 'pat.jones@example.nhs.uk', '--name', 'Patricia Jones', '--password-stdin'],
        'patricia lantern orchestra\n',
        /Password must not contain your name or email address/,
      ],
      [['user', 'add', '--email', 'not-an-email', '--name', 'X'], '', /correct format/],
      [
        [
          'member',
          'add',
          '--email',
          'nobody@example.nhs.uk',
          '--review',
          '1',
          '--organisation',
          'trft',
          '--role',
          'editor',
        ],
        '',
        /There is no account for nobody@example\.nhs\.uk/,
      ],
      [
        [
          'member',
          'add',
          '--email',
          'nadia.nurse@example.nhs.uk',
          '--review',
          '99',
          '--organisation',
          'trft',
          '--role',
          'editor',
        ],
        '',
        /There is no review 99/,
      ],
      [
        [
          'member',
          'add',
          '--email',
          'nadia.nurse@example.nhs.uk',
          '--review',
          '1',
          '--organisation',
          'Nowhere Trust',
          '--role',
          'editor',
        ],
        '',
        /Review 1 has no organisation "Nowhere Trust"\. Use one of: .*The Rotherham NHS Foundation Trust/,
      ],
      [
        [
          'member',
          'add',
          '--email',
          'nadia.nurse@example.nhs.uk',
          '--review',
          '1',
          '--organisation',
          'trft',
          '--role',
          'boss',
        ],
        '',
        /--role must be one of coordinator, editor, reviewer, viewer/,
      ],
      // Healthwatch is a partner on the plan's distribution list, but takes no part in the review itself.
      [
        [
          'member',
          'add',
          '--email',
          'nadia.nurse@example.nhs.uk',
          '--review',
          '1',
          '--organisation',
          'Healthwatch Rotherham',
          '--role',
          'viewer',
        ],
        '',
        /Review 1 has no organisation "Healthwatch Rotherham"/,
      ],
      [['token', 'create', '--email', 'nobody@example.nhs.uk', '--name', 'x'], '', /There is no enabled account/],
      [['user', 'remove'], '', /Use "clasp user add/],
      [['user', 'two-step', '--email', 'nadia.nurse@example.nhs.uk'], '', /Give one of --require, --stop-requiring/],
      [['user', 'two-step', '--email', 'nobody@example.nhs.uk', '--reset'], '', /There is no account for nobody/],
    ];
    for (const [args, input, message] of cases) {
      const r = await run(args, env, input);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
  });

  it('requires two-step verification of an account, and stops requiring it, with the change recorded', async () => {
    const required = await run(['user', 'two-step', '--email', 'Nadia.Nurse@example.nhs.uk', '--require'], env);
    assert.equal(required.code, 0, required.stderr);
    assert.match(required.stdout, /nadia\.nurse@example\.nhs\.uk must now use two-step verification/);
    const flag = () =>
      withDb(async (db) => {
        const u = await db
          .selectFrom('users')
          .select(['id', 'second_factor_required'])
          .where('email', '=', 'nadia.nurse@example.nhs.uk')
          .executeTakeFirstOrThrow();
        const event = await db
          .selectFrom('security_events')
          .select('detail')
          .where('user_id', '=', u.id)
          .where('kind', '=', 'access changed')
          .orderBy('id', 'desc')
          .executeTakeFirst();
        return { required: u.second_factor_required, event: event?.detail ?? '' };
      });
    assert.deepEqual(await flag(), {
      required: 1,
      event: JSON.stringify({ change: 'require-two-step', by: 'command line' }),
    });
    const reset = await run(['user', 'two-step', '--email', 'nadia.nurse@example.nhs.uk', '--reset'], env);
    assert.match(reset.stdout, /Nothing to change/, 'it was never set up, so there is nothing to reset');
    const stopped = await run(['user', 'two-step', '--email', 'nadia.nurse@example.nhs.uk', '--stop-requiring'], env);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal((await flag()).required, 0);
  });

  it('grants a role by organisation short name, once, and records it', async () => {
    const first = await run(
      [
        'member',
        'add',
        '--email',
        'nadia.nurse@example.nhs.uk',
        '--review',
        '1',
        '--organisation',
        'TRFT',
        '--role',
        'editor',
      ],
      env,
    );
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /nadia\.nurse@example\.nhs\.uk is now editor for The Rotherham NHS Foundation Trust in review 1/,
    );
    // The council takes part through the actions it is named on, though the review does not cover it.
    const council = await run(
      [
        'member',
        'add',
        '--email',
        'nadia.nurse@example.nhs.uk',
        '--review',
        '1',
        '--organisation',
        'Rotherham Metropolitan Borough Council',
        '--role',
        'viewer',
      ],
      env,
    );
    assert.equal(council.code, 0, council.stderr);
    const again = await run(
      [
        'member',
        'add',
        '--email',
        'nadia.nurse@example.nhs.uk',
        '--review',
        '1',
        '--organisation',
        'The Rotherham NHS Foundation Trust',
        '--role',
        'editor',
      ],
      env,
    );
    assert.match(again.stdout, /already editor .* nothing changed/);
    const audit = await withDb((db) =>
      db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'membership')
        .where('actor', '=', 'command line')
        .execute(),
    );
    assert.equal(audit.length, 2);
  });

  it('makes an API token, shown once and stored as a hash', async () => {
    const r = await run(
      ['token', 'create', '--email', 'nadia.nurse@example.nhs.uk', '--name', 'board report script'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(token, /^clasp_[\w-]{43}$/);
    const stored = await withDb((db) => db.selectFrom('api_tokens').selectAll().execute());
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(token.slice(6)), 'the token itself is not stored');
    assert.match(r.stdout, /: read only, all their reviews, until the end of /);
  });

  it('makes a token with a scope, an expiry and reviews, lists it and revokes it', async () => {
    const email = 'nadia.nurse@example.nhs.uk';
    const made = await run(
      ['token', 'create', '--email', email, '--name', 'sync', '--scope', 'write', '--days', '30', '--review', '1'],
      env,
    );
    assert.equal(made.code, 0, made.stderr);
    assert.match(
      made.stdout,
      /API token (\d+) for nadia\.nurse@example\.nhs\.uk \(sync\): read and change, reviews 1, until/,
    );
    const id = /API token (\d+)/.exec(made.stdout)?.[1] ?? '';
    const stored = await withDb((db) =>
      db
        .selectFrom('api_tokens')
        .select(['scopes', 'expires_at'])
        .where('id', '=', Number(id))
        .executeTakeFirstOrThrow(),
    );
    assert.equal(stored.scopes, 'read write');
    const days = (Date.parse(stored.expires_at ?? '') - Date.now()) / 86_400_000;
    assert.ok(days > 30 && days <= 31.1, `about 30 days ahead, not ${days}`);

    const listed = await run(['token', 'list', '--email', email], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`^${id}\tsync\tRead and change\t1 [^\t]+\tAt the end of [^\t]+\tNever used$`, 'm'),
    );

    const revoked = await run(['token', 'revoke', '--email', email, '--id', id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Revoked API token ${id} of ${email.replace(/\./g, '\\.')}`));
    assert.doesNotMatch((await run(['token', 'list', '--email', email], env)).stdout, /\tsync\t/);
    const again = await run(['token', 'revoke', '--email', email, '--id', id], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /has no API token \d+ that still works\. "clasp token list --email/);
    const audit = await withDb((db) =>
      db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_type', '=', 'api_token')
        .where('entity_id', '=', id)
        .orderBy('id')
        .execute(),
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['created', 'revoked'],
    );
  });

  it('refuses a token that would reach further than its person, saying what to do', async () => {
    const email = 'nadia.nurse@example.nhs.uk';
    const cases: [string[], RegExp][] = [
      [['--scope', 'admin'], /is not an administrator, so the token cannot administer\. Use --scope write or read\./],
      [['--scope', 'everything'], /--scope must be one of read, write, admin, not "everything"\./],
      [['--days', '400'], /--days must be a whole number of days from 1 to 366/],
      [['--expires', '2099-01-01'], /The date --expires gives must be within a year, on or before /],
      [['--expires', '31/3/2027'], /--expires must be a date like 2027-03-31/],
      [['--expires', '2027-01-01', '--days', '3'], /Give --expires or --days, not both\./],
      [['--review', '999'], /is not a member of review 999\. "clasp reviews" lists the reviews/],
    ];
    for (const [extra, message] of cases) {
      const r = await run(['token', 'create', '--email', email, '--name', 'x', ...extra], env);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message);
    }
  });
});
