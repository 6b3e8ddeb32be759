import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { postPublicForm } from '../helpers/public-forms.ts';

const PASSWORD = 'correct horse battery staple';

/** Signs in through the form as a browser would: fetch the form for its cookie and token, then post. */
function signInThroughForm(t: TestApp, email: string, password: string, next = '') {
  return postPublicForm(t, '/sign-in', '/sign-in', { email, password, next });
}

for (const target of databaseTargets) {
  describe(`signing in and out on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let otherReviewId: number;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const org = await createOrganisation(db);
      reviewId = await createReview(db, { area: 'Signinshire', leadOrganisationId: org });
      otherReviewId = await createReview(db, { area: 'Elsewhere' });
      const userId = await createUser(db, { email: 'Viewer@Example.nhs.uk', name: 'Vera Viewer', password: PASSWORD });
      await addMember(db, { userId, reviewId, organisationId: org, role: 'viewer' });
      await createUser(db, { email: 'gone@example.nhs.uk', password: PASSWORD, disabled: true });
    });
    after(() => t.close());

    it('sends people who are not signed in to the sign-in page, and API callers a 401', async () => {
      const page = await t.anonymous.get(`/reviews/${reviewId}`);
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, `/sign-in?next=${encodeURIComponent(`/reviews/${reviewId}`)}`);
      const api = await t.anonymous.get('/api/reviews');
      assert.equal(api.statusCode, 401);
      assert.match(api.json().error, /Sign in first/);
      assert.equal((await t.anonymous.get('/health')).statusCode, 200);
    });

    it('signs in with the right password, case-insensitively by email, and returns to the page asked for', async () => {
      const res = await signInThroughForm(t, '  viewer@example.NHS.uk ', PASSWORD, `/reviews/${reviewId}`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/reviews/${reviewId}`);
      const cookie = res.cookies.find((c) => c.name === 'clasp_session');
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.secure, undefined, 'plain HTTP in tests: not Secure');
      const page = await t.app.inject({
        url: `/reviews/${reviewId}`,
        headers: { cookie: `clasp_session=${cookie.value}` },
      });
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Vera Viewer/);
      assert.match(visibleText(page.body), /Signinshire/);
    });

    it('gives one message for a wrong password, an unknown email and a disabled account', async () => {
      for (const [email, password] of [
        ['viewer@example.nhs.uk', 'wrong password here'],
        ['nobody@example.nhs.uk', PASSWORD],
        ['gone@example.nhs.uk', PASSWORD],
      ] as const) {
        const res = await signInThroughForm(t, email, password);
        assert.equal(res.statusCode, 400);
        const text = visibleText(res.body);
        assert.match(text, /There is a problem Enter a correct email address and password/);
        assert.equal(
          res.cookies.find((c) => c.name === 'clasp_session'),
          undefined,
        );
      }
    });

    it('never sends anyone to another site after signing in', async () => {
      const res = await signInThroughForm(t, 'viewer@example.nhs.uk', PASSWORD, '//evil.example/steal');
      assert.equal(res.headers.location, '/my-work');
    });

    it('refuses a sign-in form without its CSRF token', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: 'viewer@example.nhs.uk', password: PASSWORD }).toString(),
      });
      assert.equal(res.statusCode, 403);
      assert.match(visibleText(res.body), /The form has expired or did not come from Clasp/);
    });

    it('throttles repeated failures for an address, whether or not it has an account', async () => {
      for (const email of ['throttle@example.nhs.uk', 'viewer-throttle-check@example.nhs.uk']) {
        for (let i = 0; i < 5; i++) await signInThroughForm(t, email, 'not the password');
        const res = await signInThroughForm(t, email, 'not the password');
        assert.match(visibleText(res.body), /Too many attempts to sign in\. Wait 15 minutes/);
      }
    });

    const hidesOtherReviews =
      'hides reviews the person is not a member of: the list leaves them out and their pages are not found';
    it(hidesOtherReviews, async () => {
      const userId = (
        await t.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'viewer@example.nhs.uk')
          .executeTakeFirstOrThrow()
      ).id;
      const client = new Client(t.app, await sessionFor(t.database.db, userId));
      const list = visibleText((await client.get('/reviews')).body);
      assert.match(list, /Signinshire/);
      assert.doesNotMatch(list, /Elsewhere/);
      assert.equal((await client.get(`/reviews/${otherReviewId}`)).statusCode, 404);
      assert.equal((await client.getJson(`/api/reviews/${otherReviewId}`)).statusCode, 404);
      assert.equal(
        visibleText((await client.get(`/reviews/${otherReviewId}`)).body),
        visibleText((await client.get('/reviews/999999')).body),
      );
    });

    it('signs out: the session ends and its cookie no longer works', async () => {
      const userId = await createUser(t.database.db, { name: 'Out Going', isAdmin: true });
      const session = await sessionFor(t.database.db, userId);
      const client = new Client(t.app, session);
      assert.equal((await client.get('/reviews')).statusCode, 200);
      assert.equal((await client.postForm('/sign-out', {}, { csrf: false })).statusCode, 403);
      const out = await client.postForm('/sign-out', {});
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/signed-out');
      assert.equal((await client.get('/reviews')).statusCode, 303);
    });

    it('ends a session after the idle time', async () => {
      const userId = await createUser(t.database.db, { isAdmin: true });
      const session = await sessionFor(t.database.db, userId);
      const longAgo = new Date(Date.now() - 61 * 60_000).toISOString();
      await t.database.db
        .updateTable('sessions')
        .set({ last_seen_at: longAgo })
        .where('user_id', '=', userId)
        .execute();
      assert.equal((await new Client(t.app, session).get('/reviews')).statusCode, 303);
    });
  });
}

for (const target of databaseTargets) {
  describe(`session cookies behind HTTPS on ${target.name}`, () => {
    for (const [name, env, headers] of [
      ['an https public address', { CLASP_PUBLIC_URL: 'https://clasp.example.nhs.uk' }, {}],
      [
        'a trusted proxy that says the request came over HTTPS',
        { CLASP_TRUST_PROXY: 'true' },
        { 'x-forwarded-proto': 'https' },
      ],
    ] as const) {
      it(`marks the session cookie Secure with ${name}`, async () => {
        const t = await startTestApp(target, { env });
        try {
          await createUser(t.database.db, { email: 'secure@example.nhs.uk', password: PASSWORD });
          const form = await t.app.inject({ url: '/sign-in', headers });
          const cookie = form.cookies.find((c) => c.name === 'clasp_csrf');
          const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
          const res = await t.app.inject({
            method: 'POST',
            url: '/sign-in',
            headers: {
              ...headers,
              cookie: `clasp_csrf=${cookie?.value}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            payload: new URLSearchParams({
              _csrf: token,
              email: 'secure@example.nhs.uk',
              password: PASSWORD,
            }).toString(),
          });
          assert.equal(res.statusCode, 303);
          const session = res.cookies.find((c) => c.name === 'clasp_session');
          assert.equal(session?.secure, true);
          assert.equal(session.httpOnly, true);
        } finally {
          await t.close();
        }
      });
    }
  });
}
