import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { linkIn, outbox, postPublicForm } from '../helpers/public-forms.ts';

const PASSWORD = 'correct horse battery';

/**
 * The one message written while `act` ran. Files are named by the second they were written,
 * so two in the same second cannot be told apart by name order.
 */
async function mailFrom(dataDir: string, act: () => Promise<unknown>): Promise<string> {
  const before = outbox(dataDir);
  await act();
  const added = [...outbox(dataDir)].filter(([name]) => !before.has(name));
  assert.equal(added.length, 1, 'one message was sent');
  return added[0]?.[1] ?? '';
}

for (const target of databaseTargets) {
  describe(`administration on ${target.name}`, () => {
    let t: TestApp;
    let dataDir: string;
    let admin: Client;
    let adminId: number;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-admin-'));
      t = await startTestApp(target, { env: { CLASP_DATA_DIR: dataDir } });
      adminId = await createUser(t.database.db, {
        name: 'Ada Administrator',
        email: 'ada@example.nhs.uk',
        isAdmin: true,
        password: PASSWORD,
      });
      admin = new Client(t.app, await sessionFor(t.database.db, adminId));
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses every administration page and change to people who are not administrators', async () => {
      const db = t.database.db;
      const org = await createOrganisation(db, { name: 'Refusedshire CCG', shortName: 'RCCG', kind: 'commissioner' });
      const reviewId = await createReview(db, { leadOrganisationId: org });
      const coordinatorId = await createUser(db, { name: 'Carl Coordinator' });
      await addMember(db, { userId: coordinatorId, reviewId, organisationId: org, role: 'coordinator' });
      const coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
      const victim = await createUser(db, { name: 'Vic Victim' });

      for (const url of [
        '/admin',
        '/admin/users',
        '/admin/users/new',
        `/admin/users/${victim}`,
        '/admin/organisations',
        '/admin/organisations/new',
        `/admin/organisations/${org}/edit`,
      ]) {
        const res = await coordinator.get(url);
        assert.equal(res.statusCode, 403, url);
        assert.match(visibleText(res.body), /Only system administrators can manage accounts and organisations/);
      }
      assert.equal((await coordinator.getJson('/api/admin/users')).statusCode, 403);
      assert.equal((await coordinator.getJson('/api/admin/organisations')).statusCode, 403);
      const posts: [string, Record<string, string>][] = [
        ['/admin/users/new', { name: 'Sneaky', email: 'sneaky@example.nhs.uk', isAdmin: 'yes' }],
        [`/admin/users/${coordinatorId}/access`, { change: 'make-admin' }],
        [`/admin/users/${victim}/access`, { change: 'disable' }],
        [`/admin/users/${victim}/invite`, {}],
        ['/admin/organisations/new', { name: 'Sneaky Trust', shortName: 'ST', kind: 'nhs_trust' }],
        [`/admin/organisations/${org}/edit`, { name: 'Renamed', shortName: 'R', kind: 'other', version: '1' }],
      ];
      for (const [url, fields] of posts) assert.equal((await coordinator.postForm(url, fields)).statusCode, 403, url);
      assert.equal(
        await db.selectFrom('users').select('id').where('email', '=', 'sneaky@example.nhs.uk').executeTakeFirst(),
        undefined,
      );
      const me = await db
        .selectFrom('users')
        .select(['is_admin'])
        .where('id', '=', coordinatorId)
        .executeTakeFirstOrThrow();
      assert.equal(me.is_admin, 0);
      const vic = await db
        .selectFrom('users')
        .select(['disabled_at'])
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      assert.equal(vic.disabled_at, null);
      const orgRow = await db
        .selectFrom('organisations')
        .select(['name'])
        .where('id', '=', org)
        .executeTakeFirstOrThrow();
      assert.equal(orgRow.name, 'Refusedshire CCG');
      assert.equal(
        await db.selectFrom('organisations').select('id').where('name', '=', 'Sneaky Trust').executeTakeFirst(),
        undefined,
      );
      // Someone not signed in is sent to sign in.
      const anonymous = await t.anonymous.get('/admin/users');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/sign-in\?next=/);
      // The header offers administration to administrators only.
      assert.doesNotMatch(visibleText((await coordinator.get('/reviews')).body), /Administration/);
      assert.match(visibleText((await admin.get('/reviews')).body), /Administration/);
    });

    it('adds a person, who is invited by email, sets a password with the link and signs in', async () => {
      const db = t.database.db;
      const form = await admin.get('/admin/users/new');
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Add a person/);

      const empty = await admin.postForm('/admin/users/new', { name: '', email: 'not an email' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /<title>Error: Add a person/);
      assert.match(
        visibleText(empty.body),
        /There is a problem Enter the person’s full name Enter an email address in the correct format/,
      );

      let added = empty;
      const message = await mailFrom(dataDir, async () => {
        added = await admin.postForm('/admin/users/new', { name: 'Nina New', email: 'Nina.New@Example.NHS.uk' });
      });
      assert.equal(added.statusCode, 303);
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'nina.new@example.nhs.uk')
        .executeTakeFirstOrThrow();
      assert.equal(user.password_hash, null);
      assert.equal(user.is_admin, 0);
      const list = visibleText((await admin.get(String(added.headers.location))).body);
      assert.match(String(added.headers.location), /^\/admin\/users\/\d+\?done=invited$/);
      assert.match(list, /We have sent Nina New an invitation to nina\.new@example\.nhs\.uk/);
      assert.match(
        list,
        /Email address nina\.new@example\.nhs\.uk Administrator No Disabled No Status Invited, no password yet/,
      );
      assert.match(
        visibleText((await admin.get('/admin/users')).body),
        /Nina New nina\.new@example\.nhs\.uk No No Invited, no password yet Never/,
      );

      assert.match(message, /To: nina\.new@example\.nhs\.uk/);
      assert.match(message, /Subject: Your Clasp account/);
      assert.match(message, /It works once, for 7 days/);

      const duplicate = await admin.postForm('/admin/users/new', {
        name: 'Nina Again',
        email: 'NINA.NEW@example.nhs.uk',
      });
      assert.equal(duplicate.statusCode, 400);
      assert.match(visibleText(duplicate.body), /An account with this email address already exists/);
      assert.match(duplicate.body, /value="NINA\.NEW@example\.nhs\.uk"/, 'the typed values are kept');

      const link = linkIn(message);
      const page = await t.app.inject(link);
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Set your password For the account nina\.new@example\.nhs\.uk/);
      const set = await postPublicForm(t, link, link, { password: PASSWORD, confirm: PASSWORD });
      assert.equal(set.statusCode, 303);
      assert.equal(set.headers.location, '/sign-in?notice=password-set');
      assert.equal((await t.app.inject(link)).statusCode, 404, 'the invitation works once');

      const signIn = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'nina.new@example.nhs.uk',
        password: PASSWORD,
      });
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, '/my-work');
      assert.match(
        visibleText((await admin.get('/admin/users')).body),
        /Nina New nina\.new@example\.nhs\.uk No No Active \d+ \w+ \d{4}/,
        'the list shows the sign-in',
      );

      const audit = await db
        .selectFrom('audit_events')
        .select(['actor', 'action'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(user.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => `${a.actor}: ${a.action}`),
        [
          'Ada Administrator: created',
          'Ada Administrator: invited',
          'Nina New: set the first password',
          'Nina New: signed in',
        ],
      );
    });

    it('sends a new invitation that replaces the old link', async () => {
      const first = linkIn(
        await mailFrom(dataDir, () =>
          admin.postForm('/admin/users/new', { name: 'Len Late', email: 'len@example.nhs.uk' }),
        ),
      );
      const userId = (
        await t.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'len@example.nhs.uk')
          .executeTakeFirstOrThrow()
      ).id;
      let again = await admin.get('/admin/users');
      const second = linkIn(
        await mailFrom(dataDir, async () => {
          again = await admin.postForm(`/admin/users/${userId}/invite`, {});
        }),
      );
      assert.equal(again.statusCode, 303);
      assert.match(
        visibleText((await admin.get(String(again.headers.location))).body),
        /We have sent Len Late a new invitation/,
      );
      assert.notEqual(first, second);
      assert.equal((await t.app.inject(first)).statusCode, 404, 'the first link no longer works');
      assert.equal((await t.app.inject(second)).statusCode, 200);
      // Someone who has a password already resets it themselves.
      const refused = await admin.postForm(`/admin/users/${adminId}/invite`, {});
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /Ada Administrator has already set a password/);
    });

    it('disables an account, ending its sessions and refusing sign-in, and enables it again', async () => {
      const db = t.database.db;
      const id = await createUser(db, { name: 'Dan Disabled', email: 'dan@example.nhs.uk', password: PASSWORD });
      const dan = new Client(t.app, await sessionFor(db, id));
      assert.equal((await dan.get('/account')).statusCode, 200);

      const disabled = await admin.postForm(`/admin/users/${id}/access`, { change: 'disable' });
      assert.equal(disabled.statusCode, 303);
      assert.match(
        visibleText((await admin.get(String(disabled.headers.location))).body),
        /Dan Disabled’s account is disabled/,
      );
      assert.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).length, 0);
      const after = await dan.get('/account');
      assert.equal(after.statusCode, 303, 'the session has ended');
      assert.match(String(after.headers.location), /^\/sign-in/);
      const refused = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'dan@example.nhs.uk',
        password: PASSWORD,
      });
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /Enter a correct email address and password/);
      assert.match(
        visibleText((await admin.get('/admin/users')).body),
        /Dan Disabled dan@example\.nhs\.uk No Yes Disabled/,
      );

      assert.equal((await admin.postForm(`/admin/users/${id}/access`, { change: 'enable' })).statusCode, 303);
      const back = await postPublicForm(t, '/sign-in', '/sign-in', { email: 'dan@example.nhs.uk', password: PASSWORD });
      assert.equal(back.statusCode, 303);

      const audit = await db
        .selectFrom('audit_events')
        .select(['actor', 'before', 'after'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(id))
        .where('action', '=', 'updated')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.actor, JSON.parse(a.before ?? '{}').disabled, JSON.parse(a.after ?? '{}').disabled]),
        [
          ['Ada Administrator', false, true],
          ['Ada Administrator', true, false],
        ],
      );
    });

    it('makes and unmakes administrators, but never takes your own rights or disables you', async () => {
      const db = t.database.db;
      const id = await createUser(db, { name: 'Pat Promoted' });
      const pat = new Client(t.app, await sessionFor(db, id));
      assert.equal((await pat.get('/admin')).statusCode, 403);
      assert.equal((await admin.postForm(`/admin/users/${id}/access`, { change: 'make-admin' })).statusCode, 303);
      const page = await pat.get('/admin');
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Administration .* Accounts: \d+ accounts/);
      assert.equal((await admin.postForm(`/admin/users/${id}/access`, { change: 'remove-admin' })).statusCode, 303);
      assert.equal((await pat.get('/admin')).statusCode, 403);

      const selfDisable = await admin.postForm(`/admin/users/${adminId}/access`, { change: 'disable' });
      assert.equal(selfDisable.statusCode, 400);
      assert.match(selfDisable.body, /<title>Error: Ada Administrator/);
      assert.match(visibleText(selfDisable.body), /There is a problem You cannot disable your own account/);
      const selfDemote = await admin.postForm(`/admin/users/${adminId}/access`, { change: 'remove-admin' });
      assert.equal(selfDemote.statusCode, 400);
      assert.match(visibleText(selfDemote.body), /You cannot remove your own administrator rights/);
      const me = await db
        .selectFrom('users')
        .select(['is_admin', 'disabled_at'])
        .where('id', '=', adminId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(me, { is_admin: 1, disabled_at: null });
      // Your own page offers no such buttons.
      assert.match(
        visibleText((await admin.get('/admin/users')).body),
        /Ada Administrator \(you\) ada@example\.nhs\.uk Yes No Active/,
      );
      const own = visibleText((await admin.get(`/admin/users/${adminId}`)).body);
      assert.match(own, /This is your account/);
      assert.doesNotMatch(own, /Disable account|Remove administrator rights/);
      const other = visibleText((await admin.get(`/admin/users/${id}`)).body);
      assert.match(other, /Disable account Make administrator/);
    });

    it('shows a person’s roles in reviews, and refuses changes posted without the form’s token', async () => {
      const db = t.database.db;
      const org = await createOrganisation(db, { name: 'Rolesham Council', shortName: 'RC', kind: 'local_authority' });
      const reviewId = await createReview(db, { leadOrganisationId: org, area: 'Rolesham' });
      const id = await createUser(db, { name: 'Rhea Roles', email: 'rhea@example.nhs.uk' });
      await addMember(db, { userId: id, reviewId, organisationId: org, role: 'reviewer' });
      const page = await admin.get(`/admin/users/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(
        visibleText(page.body),
        /Rhea Roles .* Roles in reviews Review Organisation Role Rolesham Rolesham Council Assurance reviewer/,
      );
      assert.equal((await admin.get('/admin/users/999999')).statusCode, 404);

      const forged = await admin.postForm(`/admin/users/${id}/access`, { change: 'disable' }, { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.equal(
        (await db.selectFrom('users').select('disabled_at').where('id', '=', id).executeTakeFirstOrThrow()).disabled_at,
        null,
      );
      const forgedOrg = await admin.postForm(
        '/admin/organisations/new',
        { name: 'Forged Trust', shortName: 'FT', kind: 'nhs_trust' },
        { csrf: false },
      );
      assert.equal(forgedOrg.statusCode, 403);
      assert.equal(
        await db.selectFrom('organisations').select('id').where('name', '=', 'Forged Trust').executeTakeFirst(),
        undefined,
      );

      const api = (await admin.getJson('/api/admin/users')).json<{
        users: { email: string; isAdmin: boolean; disabled: boolean }[];
      }>();
      assert.deepEqual(
        api.users.filter((u) => u.email === 'rhea@example.nhs.uk').map((u) => [u.isAdmin, u.disabled]),
        [[false, false]],
      );
    });

    it('adds and edits organisations, with unique names and stale edits refused', async () => {
      const db = t.database.db;
      const added = await admin.postForm('/admin/organisations/new', {
        name: 'Barnsley Hospital NHS Foundation Trust',
        shortName: 'BHNFT',
        kind: 'nhs_trust',
      });
      assert.equal(added.statusCode, 303);
      assert.match(
        visibleText((await admin.get(String(added.headers.location))).body),
        /Barnsley Hospital NHS Foundation Trust is added\. .* Barnsley Hospital NHS Foundation Trust BHNFT NHS trust/,
      );
      const row = await db
        .selectFrom('organisations')
        .selectAll()
        .where('name', '=', 'Barnsley Hospital NHS Foundation Trust')
        .executeTakeFirstOrThrow();
      const kinds = visibleText((await admin.get('/admin/organisations/new')).body);
      assert.match(
        kinds,
        /Commissioner \(ICB or CCG\) NHS trust .* GP practice .* Local authority .* NHS England .* Other/,
      );
      assert.equal(row.kind, 'nhs_trust');

      const same = await admin.postForm('/admin/organisations/new', {
        name: 'barnsley hospital nhs foundation trust',
        shortName: 'B',
        kind: 'nhs_trust',
      });
      assert.equal(same.statusCode, 400);
      assert.match(visibleText(same.body), /There is already an organisation with this name/);
      const missing = await admin.postForm('/admin/organisations/new', { name: 'Barnsley Council', shortName: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(
        visibleText(missing.body),
        /Enter a short name, for example TRFT Select what kind of organisation it is/,
      );

      const editUrl = `/admin/organisations/${row.id}/edit`;
      const form = await admin.get(editUrl);
      assert.match(form.body, /name="version" value="1"/);
      // Two administrators open the form; the first saves, the second's save is refused.
      const first = await admin.postForm(editUrl, {
        name: 'Barnsley Hospital NHS FT',
        shortName: 'BHNFT',
        kind: 'nhs_trust',
        version: '1',
      });
      assert.equal(first.statusCode, 303);
      const stale = await admin.postForm(editUrl, {
        name: 'Barnsley Hospital',
        shortName: 'BH',
        kind: 'nhs_trust',
        version: '1',
      });
      assert.equal(stale.statusCode, 409);
      const text = visibleText(stale.body);
      assert.match(text, /Ada Administrator changed this organisation on \d+ \w+ \d{4}, after you opened the form/);
      assert.match(text, /Name Barnsley Hospital NHS FT Barnsley Hospital/);
      assert.match(stale.body, /name="version" value="2"/);
      assert.match(stale.body, /value="Barnsley Hospital"/, 'your values are kept');
      assert.equal(
        (await db.selectFrom('organisations').select('name').where('id', '=', row.id).executeTakeFirstOrThrow()).name,
        'Barnsley Hospital NHS FT',
      );
      const second = await admin.postForm(editUrl, {
        name: 'Barnsley Hospital',
        shortName: 'BH',
        kind: 'nhs_trust',
        version: '2',
      });
      assert.equal(second.statusCode, 303);

      const audit = await db
        .selectFrom('audit_events')
        .select(['action', 'before', 'after'])
        .where('entity_type', '=', 'organisation')
        .where('entity_id', '=', String(row.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.action, JSON.parse(a.before ?? 'null'), JSON.parse(a.after ?? 'null')]),
        [
          ['created', null, { name: 'Barnsley Hospital NHS Foundation Trust', shortName: 'BHNFT', kind: 'nhs_trust' }],
          ['updated', { name: 'Barnsley Hospital NHS Foundation Trust' }, { name: 'Barnsley Hospital NHS FT' }],
          [
            'updated',
            { name: 'Barnsley Hospital NHS FT', shortName: 'BHNFT' },
            { name: 'Barnsley Hospital', shortName: 'BH' },
          ],
        ],
      );
      const api = (await admin.getJson('/api/admin/organisations')).json<{
        organisations: { name: string; version: number }[];
      }>();
      assert.equal(api.organisations.find((o) => o.name === 'Barnsley Hospital')?.version, 3);
    });
  });
}
