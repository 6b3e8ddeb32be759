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

const messages = (dataDir: string): string[] => [...outbox(dataDir).values()];

/** Waits for reset emails, which are sent after the answer: until `count` have gone to the address. */
async function mailTo(dataDir: string, address: string, count = 1): Promise<string[]> {
  const pattern = new RegExp(`To: ${address.replace(/\./g, '\\.')}`);
  for (let waited = 0; waited < 10_000; waited += 20) {
    const sent = messages(dataDir).filter((m) => pattern.test(m));
    if (sent.length >= count) return sent;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`${String(count)} email(s) to ${address} were not sent`);
}
import { DEMO_PASSWORD, loadDemo } from '../../src/features/demo/demo.service.ts';

const OLD_PASSWORD = 'the old password here';
const NEW_PASSWORD = 'a brand new password';

for (const target of databaseTargets) {
  describe(`accounts on ${target.name}`, () => {
    let t: TestApp;
    let dataDir: string;
    let userId: number;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-accounts-'));
      t = await startTestApp(target, { env: { CLASP_DATA_DIR: dataDir } });
      userId = await createUser(t.database.db, {
        email: 'rita@example.nhs.uk',
        name: 'Rita Reset',
        password: OLD_PASSWORD,
      });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers the same for a known and an unknown email, and mails a link only to the known one', async () => {
      const known = await postPublicForm(t, '/forgot-password', '/forgot-password', { email: 'Rita@Example.nhs.uk' });
      const unknown = await postPublicForm(t, '/forgot-password', '/forgot-password', {
        email: 'nobody@example.nhs.uk',
      });
      assert.equal(known.statusCode, 200);
      assert.equal(visibleText(known.body), visibleText(unknown.body));
      assert.match(visibleText(known.body), /If there is an account for that email address, we have sent a link/);
      const mail = await mailTo(dataDir, 'rita@example.nhs.uk');
      assert.equal(messages(dataDir).length, 1);
      assert.match(mail[0] ?? '', /To: rita@example\.nhs\.uk/);
      assert.match(mail[0] ?? '', /Subject: Reset your Clasp password/);
    });

    it('sends at most 3 reset links an hour to one account, answering the same every time', async () => {
      await createUser(t.database.db, { email: 'rory@example.nhs.uk', name: 'Rory Repeat', password: OLD_PASSWORD });
      const before = messages(dataDir).filter((m) => /To: rory@example\.nhs\.uk/.test(m)).length;
      for (let i = 0; i < 4; i++) {
        const res = await postPublicForm(t, '/forgot-password', '/forgot-password', { email: 'rory@example.nhs.uk' });
        assert.equal(res.statusCode, 200);
        assert.match(visibleText(res.body), /If there is an account for that email address, we have sent a link/);
      }
      // Emails go out in order, so once one asked for afterwards has gone, Rory's all have.
      await createUser(t.database.db, { email: 'rhea@example.nhs.uk', password: OLD_PASSWORD });
      await postPublicForm(t, '/forgot-password', '/forgot-password', { email: 'rhea@example.nhs.uk' });
      await mailTo(dataDir, 'rhea@example.nhs.uk');
      const sent = messages(dataDir).filter((m) => /To: rory@example\.nhs\.uk/.test(m)).length - before;
      assert.equal(sent, 3);
    });

    it('resets the password once with the link, ending every session, and refuses the link after', async () => {
      const client = new Client(t.app, await sessionFor(t.database.db, userId));
      const link = linkIn(messages(dataDir).find((m) => /To: rita@example\.nhs\.uk/.test(m)) ?? '');
      const page = await t.app.inject(link);
      assert.match(visibleText(page.body), /Set a new password For the account rita@example\.nhs\.uk/);
      const mismatch = await postPublicForm(t, link, link, {
        password: NEW_PASSWORD,
        confirm: 'something else entirely',
      });
      assert.equal(mismatch.statusCode, 400);
      assert.match(visibleText(mismatch.body), /There is a problem The passwords do not match/);
      const short = await postPublicForm(t, link, link, { password: 'short', confirm: 'short' });
      assert.match(visibleText(short.body), /Password must be 12 characters or more/);
      const done = await postPublicForm(t, link, link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/sign-in?notice=password-set');
      assert.equal((await client.get('/reviews')).statusCode, 303, 'the old session has ended');
      const again = await t.app.inject(link);
      assert.equal(again.statusCode, 404);
      assert.match(visibleText(again.body), /This link does not work/);
      const signIn = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'rita@example.nhs.uk',
        password: NEW_PASSWORD,
      });
      assert.equal(signIn.statusCode, 303);
    });

    it('refuses an expired link', async () => {
      await postPublicForm(t, '/forgot-password', '/forgot-password', { email: 'rita@example.nhs.uk' });
      const link = linkIn((await mailTo(dataDir, 'rita@example.nhs.uk', 2)).at(-1) ?? '');
      await t.database.db
        .updateTable('one_time_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .execute();
      // The expired link shows no form, so the token comes from another public page.
      const res = await postPublicForm(t, '/forgot-password', link, {
        password: 'another fine password',
        confirm: 'another fine password',
      });
      assert.equal(res.statusCode, 404);
      assert.match(visibleText(res.body), /This link does not work/);
    });

    it('changes your own password, keeping this session and ending the others', async () => {
      const id = await createUser(t.database.db, {
        email: 'cora@example.nhs.uk',
        name: 'Cora Change',
        password: OLD_PASSWORD,
      });
      const here = new Client(t.app, await sessionFor(t.database.db, id));
      const elsewhere = new Client(t.app, await sessionFor(t.database.db, id));
      const wrong = await here.postForm('/account/password', {
        current: 'not my password',
        password: NEW_PASSWORD,
        confirm: NEW_PASSWORD,
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(visibleText(wrong.body), /Your current password is not right/);
      const ok = await here.postForm('/account/password', {
        current: OLD_PASSWORD,
        password: NEW_PASSWORD,
        confirm: NEW_PASSWORD,
      });
      assert.equal(ok.statusCode, 303);
      assert.match(
        visibleText((await here.get('/account?notice=password-changed')).body),
        /Your password has been changed/,
      );
      assert.equal((await elsewhere.get('/account')).statusCode, 303);
    });

    it('shows your roles, and makes an API token that works without a cookie until revoked', async () => {
      const db = t.database.db;
      const org = await createOrganisation(db, { name: 'Tokenshire Council' });
      const reviewId = await createReview(db, { area: 'Tokenshire', leadOrganisationId: org });
      const id = await createUser(db, { name: 'Tom Token' });
      await addMember(db, { userId: id, reviewId, organisationId: org, role: 'viewer' });
      const client = new Client(t.app, await sessionFor(db, id));
      assert.match(
        visibleText((await client.get('/account')).body),
        /Your roles Your roles in reviews Review Organisation Role Tokenshire Tokenshire Council Viewer/,
      );
      const made = await client.postForm('/account/tokens', { tokenName: 'board report script' });
      const token = /<code class="clasp-token">([^<]+)<\/code>/.exec(made.body)?.[1] ?? '';
      assert.match(token, /^clasp_/);
      const api = await t.app.inject({ url: '/api/reviews', headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 200);
      assert.deepEqual(
        api.json<{ reviews: { area: string }[] }>().reviews.map((r) => r.area),
        ['Tokenshire'],
      );
      assert.doesNotMatch((await client.get('/account')).body, new RegExp(token), 'shown once only');
      const tokenId = (
        await db.selectFrom('api_tokens').select('id').where('user_id', '=', id).executeTakeFirstOrThrow()
      ).id;
      assert.equal((await client.postForm(`/account/tokens/${tokenId}/revoke`, {})).statusCode, 303);
      const refused = await t.app.inject({ url: '/api/reviews', headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.statusCode, 401);
    });

    it('makes one demo account per role, once, and each can sign in', async () => {
      const first = await loadDemo(t.database.db, new Date());
      const second = await loadDemo(t.database.db, new Date());
      assert.deepEqual(first.users, second.users);
      const users = await t.database.db
        .selectFrom('users')
        .select('email')
        .where('email', 'like', '%@demo.clasp.invalid')
        .execute();
      assert.equal(users.length, 5);
      for (const u of first.users) {
        const res = await postPublicForm(t, '/sign-in', '/sign-in', {
          email: u.email,
          password: DEMO_PASSWORD,
          next: `/reviews/${first.reviewId}`,
        });
        assert.equal(res.statusCode, 303, u.email);
        const cookie = res.cookies.find((c) => c.name === 'clasp_session');
        const page = await t.app.inject({
          url: `/reviews/${first.reviewId}`,
          headers: { cookie: `clasp_session=${cookie?.value}` },
        });
        assert.equal(page.statusCode, 200, `${u.email} reads the demo review`);
        const manage = visibleText(page.body).includes('Edit review details');
        assert.equal(manage, u.role === 'coordinator', `${u.email}: only the coordinator is offered plan editing`);
        const admin = await t.app.inject({ url: '/admin', headers: { cookie: `clasp_session=${cookie?.value}` } });
        assert.equal(
          admin.statusCode,
          u.role === 'administrator' ? 200 : 403,
          `${u.email}: only the administrator administers`,
        );
      }
      const roles = await t.database.db
        .selectFrom('memberships as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
        .select(['u.email', 'u.is_admin', 'm.role', 'o.name'])
        .where('m.review_id', '=', first.reviewId)
        .orderBy('u.email')
        .execute();
      assert.deepEqual(
        roles.map((r) => `${r.email} ${r.role} ${r.name}`),
        [
          'coordinator@demo.clasp.invalid coordinator NHS Rotherham Clinical Commissioning Group',
          'editor@demo.clasp.invalid editor The Rotherham NHS Foundation Trust',
          'reviewer@demo.clasp.invalid reviewer NHS Rotherham Clinical Commissioning Group',
          'viewer@demo.clasp.invalid viewer Rotherham Metropolitan Borough Council',
        ],
      );
      const admins = await t.database.db
        .selectFrom('users')
        .select('email')
        .where('is_admin', '=', 1)
        .where('email', 'like', '%@demo.clasp.invalid')
        .execute();
      assert.deepEqual(
        admins.map((a) => a.email),
        ['admin@demo.clasp.invalid'],
      );
      const demoEvents = await t.database.db
        .selectFrom('audit_events')
        .select('id')
        .where('actor', '=', 'clasp demo')
        .where('entity_type', 'in', ['user', 'membership'])
        .execute();
      assert.equal(demoEvents.length, 9, 'five accounts and four roles, recorded once');
    });
  });
}
