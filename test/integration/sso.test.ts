import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation } from '../helpers/factories.ts';
import { createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { postPublicForm } from '../helpers/public-forms.ts';
import { claspSettings, signInAtProvider, startProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';

/*
 * Single sign-on end to end against a real OpenID Connect provider (oidc-provider) on 127.0.0.1:
 * Clasp sends the browser there, the person signs in at its login page, and it sends them back
 * with a code that Clasp exchanges for an ID token and checks.
 */

/** Where the provider is told Clasp is (requests reach Clasp through inject, so nothing listens here). */
const BASE = 'http://127.0.0.1:3999';
const PASSWORD = 'correct horse battery staple';

/** Starts signing in with single sign-on: the provider's address Clasp sends the browser to. */
async function startSso(t: TestApp, returnTo = '/my-work'): Promise<string> {
  const start = await t.anonymous.get(`/sign-in/sso?returnTo=${encodeURIComponent(returnTo)}`);
  assert.equal(start.statusCode, 303, start.body);
  return String(start.headers.location);
}

/** Clasp's answer at its callback address, for the address the provider sent the browser back to. */
function callback(t: TestApp, back: URL): Promise<LightMyRequestResponse> {
  assert.equal(`${back.origin}${back.pathname}`, `${BASE}/sign-in/sso/callback`);
  return t.app.inject({ url: `${back.pathname}${back.search}` });
}

/** Signs in as `subject` at the provider and comes back to Clasp. */
async function ssoSignIn(t: TestApp, subject: string, returnTo = '/my-work'): Promise<LightMyRequestResponse> {
  return callback(t, await signInAtProvider(await startSso(t, returnTo), subject));
}

function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'clasp_session');
  assert.ok(cookie, `a session cookie is set (${response.statusCode}: ${visibleText(response.body).slice(0, 300)})`);
  return `clasp_session=${cookie.value}`;
}

async function securityEvents(t: TestApp) {
  return t.database.db.selectFrom('security_events').selectAll().orderBy('id').execute();
}

async function userByEmail(t: TestApp, email: string) {
  return t.database.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

describe('single sign-on settings', () => {
  it('needs a client id with an issuer, and https for any provider not on this computer', () => {
    assert.throws(
      () => loadConfig({ CLASP_OIDC_ISSUER: 'https://login.example.org' }),
      (error: Error) => error instanceof ConfigError && /CLASP_OIDC_CLIENT_ID: set it/.test(error.message),
    );
    assert.throws(
      () => loadConfig({ CLASP_OIDC_ISSUER: 'http://login.example.org', CLASP_OIDC_CLIENT_ID: 'x' }),
      /CLASP_OIDC_ISSUER: use the provider's https:\/\/ address/,
    );
    assert.throws(
      () =>
        loadConfig({ CLASP_OIDC_ISSUER: 'https://a.example', CLASP_OIDC_CLIENT_ID: 'x', CLASP_OIDC_SCOPES: 'email' }),
      /CLASP_OIDC_SCOPES must include openid/,
    );
    assert.equal(loadConfig({}).oidc, null);
    const config = loadConfig({ CLASP_OIDC_ISSUER: 'https://login.example.org/t/v2.0', CLASP_OIDC_CLIENT_ID: 'clasp' });
    assert.deepEqual(config.oidc, {
      issuer: 'https://login.example.org/t/v2.0',
      clientId: 'clasp',
      clientSecret: null,
      scopes: 'openid email profile',
      emailClaim: 'email',
      nameClaim: 'name',
      organisationClaim: null,
      emailVerified: 'claim',
      buttonText: "Sign in with your organisation's account",
      logout: true,
    });
  });
});

for (const target of databaseTargets) {
  describe(`single sign-on on ${target.name}`, () => {
    let op: TestProvider;
    let t: TestApp;
    let trustId: number;

    before(async () => {
      op = await startProvider({ claspBase: BASE });
      t = await startTestApp(target, { env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) } });
      const db = t.database.db;
      trustId = await createOrganisation(db, { name: 'Rotherham Trust' });
      await createUser(db, { email: 'ada@trust.nhs.uk', name: 'Ada Existing', password: PASSWORD });
      await createUser(db, { email: 'gone@trust.nhs.uk', name: 'Gone Person', disabled: true });
      op.people.set('ada-sub', { email: 'Ada@Trust.nhs.uk', email_verified: true, name: 'Ada at the provider' });
      op.people.set('gone-sub', { email: 'gone@trust.nhs.uk', email_verified: true, name: 'Gone' });
      op.people.set('new-sub', { email: 'newton@joining.nhs.uk', email_verified: true, name: 'Newton New' });
      op.people.set('code-sub', {
        email: 'cora@other.example',
        email_verified: true,
        name: 'Cora Code',
        org_code: 'RHQ',
      });
      op.people.set('stranger-sub', { email: 'sam@elsewhere.example', email_verified: true, name: 'Sam Stranger' });
      op.people.set('unverified-sub', { email: 'ada@trust.nhs.uk', email_verified: false, name: 'Not Ada' });
      op.people.set('sso-only-sub', { email: 'olly@sso-only.nhs.uk', email_verified: true, name: 'Olly Only' });
      await db
        .insertInto('sign_in_domains')
        .values([
          {
            kind: 'domain',
            value: 'joining.nhs.uk',
            organisation_id: trustId,
            may_join: 1,
            require_sso: 0,
            created_at: 'x',
            updated_at: 'x',
          },
          {
            kind: 'domain',
            value: 'elsewhere.example',
            organisation_id: trustId,
            may_join: 0,
            require_sso: 0,
            created_at: 'x',
            updated_at: 'x',
          },
          {
            kind: 'claim',
            value: 'RHQ',
            organisation_id: trustId,
            may_join: 1,
            require_sso: 0,
            created_at: 'x',
            updated_at: 'x',
          },
          {
            kind: 'domain',
            value: 'sso-only.nhs.uk',
            organisation_id: trustId,
            may_join: 1,
            require_sso: 1,
            created_at: 'x',
            updated_at: 'x',
          },
        ])
        .execute();
      await createUser(db, { email: 'olly@sso-only.nhs.uk', name: 'Olly Only', password: PASSWORD });
    });
    after(async () => {
      await t.close();
      await op.stop();
    });

    it('offers single sign-on on the sign-in page, beside the password form', async () => {
      const page = await t.anonymous.get('/sign-in?next=/reviews');
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Sign in with your organisation's account/);
      assert.match(page.body, /href="\/sign-in\/sso\?returnTo=%2Freviews"/);
      assert.match(text, /Or sign in with your email address and password/);
      assert.match(page.body, /name="password"/);
      assert.doesNotMatch(text, /cannot be reached/);
    });

    it('sends the browser to the provider with PKCE, a state and a nonce', async () => {
      const location = new URL(await startSso(t));
      assert.equal(location.origin, op.issuer);
      const query = location.searchParams;
      assert.equal(query.get('client_id'), op.clientId);
      assert.equal(query.get('redirect_uri'), `${BASE}/sign-in/sso/callback`);
      assert.equal(query.get('response_type'), 'code');
      assert.equal(query.get('scope'), 'openid email profile');
      assert.equal(query.get('code_challenge_method'), 'S256');
      assert.ok(query.get('code_challenge') && query.get('state') && query.get('nonce'));
    });

    it('signs in an existing account by its verified email, links it, and returns to the page asked for', async () => {
      const res = await ssoSignIn(t, 'ada-sub', '/account');
      assert.equal(res.statusCode, 303, visibleText(res.body));
      assert.equal(res.headers.location, '/account');
      const page = await t.app.inject({ url: '/account', headers: { cookie: sessionCookie(res) } });
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Ada Existing/, 'the account keeps its own name');
      const ada = await userByEmail(t, 'ada@trust.nhs.uk');
      assert.ok(ada);
      const identity = await t.database.db
        .selectFrom('sso_identities')
        .selectAll()
        .where('user_id', '=', ada.id)
        .execute();
      assert.deepEqual(
        identity.map((i) => [i.issuer, i.subject]),
        [[op.issuer, 'ada-sub']],
      );
      const audit = await t.database.db
        .selectFrom('audit_events')
        .select(['action', 'after'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(ada.id))
        .execute();
      assert.ok(audit.some((a) => a.action === 'linked to single sign-on' && /verified email/.test(a.after ?? '')));
      assert.ok(audit.some((a) => a.action === 'signed in'));
    });

    it("finds a linked person by the provider's subject the next time, whatever email it gives", async () => {
      op.people.set('ada-sub', { email: 'ada.renamed@trust.nhs.uk', email_verified: false, name: 'Ada' });
      try {
        const res = await ssoSignIn(t, 'ada-sub');
        assert.equal(res.statusCode, 303, visibleText(res.body));
        assert.equal(res.headers.location, '/my-work');
        assert.equal(await userByEmail(t, 'ada.renamed@trust.nhs.uk'), undefined);
      } finally {
        op.people.set('ada-sub', { email: 'Ada@Trust.nhs.uk', email_verified: true, name: 'Ada at the provider' });
      }
    });

    it('gives a new person an account when their email domain may join, with no roles', async () => {
      const res = await ssoSignIn(t, 'new-sub');
      assert.equal(res.statusCode, 303, visibleText(res.body));
      const newton = await userByEmail(t, 'newton@joining.nhs.uk');
      assert.ok(newton);
      assert.equal(newton.name, 'Newton New');
      assert.equal(newton.is_admin, 0);
      assert.equal(newton.password_hash, null);
      const memberships = await t.database.db
        .selectFrom('memberships')
        .selectAll()
        .where('user_id', '=', newton.id)
        .execute();
      assert.equal(memberships.length, 0, 'roles still come from memberships a coordinator gives');
      const audit = await t.database.db
        .selectFrom('audit_events')
        .select(['action', 'organisation_id'])
        .where('entity_id', '=', String(newton.id))
        .execute();
      assert.ok(audit.some((a) => a.action === 'account made at first sign-in' && a.organisation_id === trustId));
      const page = await t.app.inject({ url: '/my-work', headers: { cookie: sessionCookie(res) } });
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /Newton New/);
      assert.match(
        visibleText(page.body),
        /You have no role in any review yet\. A plan coordinator or your administrator can add you/,
      );
    });

    it('gives a new person an account when the organisation claim may join', async () => {
      const res = await ssoSignIn(t, 'code-sub');
      assert.equal(res.statusCode, 303, visibleText(res.body));
      assert.ok(await userByEmail(t, 'cora@other.example'));
    });

    it('refuses someone whose domain is not mapped, or may not join, and makes no account', async () => {
      op.people.set('unmapped-sub', { email: 'una@unknown.example', email_verified: true, name: 'Una' });
      for (const [subject, email] of [
        ['unmapped-sub', 'una@unknown.example'],
        ['stranger-sub', 'sam@elsewhere.example'],
      ] as const) {
        const res = await ssoSignIn(t, subject);
        assert.equal(res.statusCode, 400);
        assert.match(
          visibleText(res.body),
          /Your organisation is not set up to use Clasp\. Ask your Clasp administrator/,
        );
        assert.match(res.body, /name="password"/, 'the password form is still there');
        assert.equal(
          res.cookies.find((c) => c.name === 'clasp_session'),
          undefined,
        );
        assert.equal(await userByEmail(t, email), undefined);
      }
      const events = await securityEvents(t);
      assert.ok(
        events.some(
          (e) =>
            e.kind === 'sign-in failed' &&
            e.email === 'sam@elsewhere.example' &&
            /organisation may not join/.test(e.detail ?? ''),
        ),
      );
      assert.ok(
        events.some((e) => e.email === 'una@unknown.example' && /organisation not mapped/.test(e.detail ?? '')),
      );
    });

    it('refuses an email the provider has not verified for an existing account', async () => {
      const res = await ssoSignIn(t, 'unverified-sub');
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /did not confirm your email address/);
      const links = await t.database.db
        .selectFrom('sso_identities')
        .selectAll()
        .where('subject', '=', 'unverified-sub')
        .execute();
      assert.equal(links.length, 0);
    });

    it('refuses a disabled account', async () => {
      const res = await ssoSignIn(t, 'gone-sub');
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /Your Clasp account has been turned off/);
      assert.equal(
        res.cookies.find((c) => c.name === 'clasp_session'),
        undefined,
      );
    });

    it('refuses a tampered state, and a state used twice', async () => {
      const back = await signInAtProvider(await startSso(t), 'ada-sub');
      const tampered = new URL(back);
      tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
      const res = await callback(t, tampered);
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /Signing in took too long or was started in another browser/);
      assert.equal(
        res.cookies.find((c) => c.name === 'clasp_session'),
        undefined,
      );
      assert.equal((await callback(t, back)).statusCode, 303, 'the real state still works once');
      assert.equal((await callback(t, back)).statusCode, 400, 'but not twice');
      const events = await securityEvents(t);
      assert.ok(events.some((e) => /unknown state/.test(e.detail ?? '')));
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      const location = await startSso(t);
      const state = new URL(location).searchParams.get('state');
      assert.ok(state);
      await t.database.db.updateTable('sso_attempts').set({ nonce: 'not-the-nonce-that-was-sent' }).execute();
      const res = await callback(t, await signInAtProvider(location, 'ada-sub'));
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /Signing in with your organisation's account did not work/);
      assert.equal(
        res.cookies.find((c) => c.name === 'clasp_session'),
        undefined,
      );
      const events = await securityEvents(t);
      const details = events.map((e) => e.detail ?? '');
      assert.ok(
        details.some((d) => /the answer failed its checks/.test(d) && /nonce/.test(d)),
        `a security event says the nonce was wrong: ${details.join(' | ')}`,
      );
    });

    it('refuses a password for a domain that must use single sign-on, pointing to the button', async () => {
      const res = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'olly@sso-only.nhs.uk',
        password: PASSWORD,
        next: '',
      });
      assert.equal(res.statusCode, 400);
      assert.match(
        visibleText(res.body),
        new RegExp(
          'Your organisation signs in to Clasp with its own accounts, not a password\\. ' +
            `Use "Sign in with your organisation's account"`,
        ),
      );
      assert.equal(
        res.cookies.find((c) => c.name === 'clasp_session'),
        undefined,
      );
      const ok = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'ada@trust.nhs.uk',
        password: PASSWORD,
        next: '',
      });
      assert.equal(ok.statusCode, 303, 'other domains still use passwords');
      const sso = await ssoSignIn(t, 'sso-only-sub');
      assert.equal(sso.statusCode, 303, 'and the person signs in with single sign-on');
      // Nor can they get a password by resetting it.
      const reset = await postPublicForm(t, '/forgot-password', '/forgot-password', {
        email: 'olly@sso-only.nhs.uk',
      });
      assert.equal(reset.statusCode, 400);
      assert.match(
        visibleText(reset.body),
        /Your organisation signs in to Clasp with its own accounts, not a password/,
      );
      const elsewhere = await postPublicForm(t, '/forgot-password', '/forgot-password', { email: 'ada@trust.nhs.uk' });
      assert.equal(elsewhere.statusCode, 200, 'other domains still reset passwords');
    });

    it('signs out of Clasp and of the provider, with the ID token as the hint', async () => {
      const res = await ssoSignIn(t, 'ada-sub');
      const cookie = sessionCookie(res);
      const page = await t.app.inject({ url: '/my-work', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(csrf);
      const out = await t.app.inject({
        method: 'POST',
        url: '/sign-out',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      assert.equal(out.statusCode, 200);
      assert.match(visibleText(out.body), /You have signed out/);
      const href = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(out.body)?.[1] ?? '';
      const endSession = new URL(href.replace(/&amp;/g, '&'));
      assert.equal(endSession.origin, op.issuer);
      assert.equal(endSession.pathname, '/session/end');
      assert.ok(endSession.searchParams.get('id_token_hint'));
      assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${BASE}/signed-out`);
      assert.match(out.body, /Sign out of your organisation&#39;s account/);
      const atProvider = await fetch(endSession, { redirect: 'manual' });
      assert.equal(atProvider.status, 200, 'the provider asks to confirm signing out');
      assert.match(await atProvider.text(), /sign-out|logout/i);
      const after = await t.app.inject({ url: '/my-work', headers: { cookie } });
      assert.equal(after.statusCode, 303, 'the Clasp session has ended');
    });

    it('signs in and out with a password as before for a session not begun with the provider', async () => {
      const res = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'ada@trust.nhs.uk',
        password: PASSWORD,
        next: '',
      });
      const cookie = sessionCookie(res);
      const page = await t.app.inject({ url: '/my-work', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const out = await t.app.inject({
        method: 'POST',
        url: '/sign-out',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      assert.equal(out.headers.location, '/signed-out');
    });

    it('keeps sign-in domains to administrators', async () => {
      const mapping = await t.database.db.selectFrom('sign_in_domains').select('id').executeTakeFirstOrThrow();
      const someone = new Client(t.app, await sessionFor(t.database.db, await createUser(t.database.db)));
      const pages = [
        ['GET', '/admin/sign-in-domains'],
        ['GET', '/admin/sign-in-domains/new'],
        ['POST', '/admin/sign-in-domains/new'],
        ['GET', `/admin/sign-in-domains/${mapping.id}`],
        ['POST', `/admin/sign-in-domains/${mapping.id}`],
        ['POST', `/admin/sign-in-domains/${mapping.id}/remove`],
        ['GET', '/api/admin/sign-in-domains'],
        ['POST', '/api/admin/sign-in-domains'],
        ['PUT', `/api/admin/sign-in-domains/${mapping.id}`],
        ['DELETE', `/api/admin/sign-in-domains/${mapping.id}`],
      ] as const;
      for (const [method, url] of pages) {
        const res =
          method === 'GET'
            ? await someone.get(url)
            : url.startsWith('/api/')
              ? await someone.sendJson(method, url, {})
              : await someone.postForm(url, {});
        assert.equal(res.statusCode, 403, `${method} ${url} as someone who is not an administrator`);
        const anonymous = method === 'GET' ? await t.anonymous.get(url) : await t.anonymous.sendJson(method, url, {});
        assert.ok([303, 401, 403].includes(anonymous.statusCode), `${method} ${url} when not signed in`);
      }
      assert.ok(
        await t.database.db.selectFrom('sign_in_domains').select('id').where('id', '=', mapping.id).executeTakeFirst(),
      );
    });

    it('lets administrators add, change and remove sign-in domains, audited, on pages and in the API', async () => {
      const admin = await t.admin();
      const list = await admin.get('/admin/sign-in-domains');
      assert.equal(list.statusCode, 200);
      assert.match(visibleText(list.body), /joining\.nhs\.uk Rotherham Trust Yes No/);

      const bad = await admin.postForm('/admin/sign-in-domains/new', {
        kind: 'domain',
        value: 'not a domain',
        organisationId: '',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /Enter the part of the email address after the @, like nhs\.net/);
      assert.match(visibleText(bad.body), /Select the organisation/);
      const taken = await admin.postForm('/admin/sign-in-domains/new', {
        kind: 'domain',
        value: 'Joining.NHS.uk',
        organisationId: String(trustId),
      });
      assert.match(visibleText(taken.body), /joining\.nhs\.uk is mapped already: change that mapping instead/);

      const added = await admin.postForm('/admin/sign-in-domains/new', {
        kind: 'domain',
        value: '@Added.nhs.uk',
        organisationId: String(trustId),
        mayJoin: 'yes',
      });
      assert.equal(added.statusCode, 303, visibleText(added.body));
      assert.equal(added.headers.location, '/admin/sign-in-domains?done=added');
      const row = await t.database.db
        .selectFrom('sign_in_domains')
        .selectAll()
        .where('value', '=', 'added.nhs.uk')
        .executeTakeFirstOrThrow();
      assert.equal(row.may_join, 1);
      const changed = await admin.postForm(`/admin/sign-in-domains/${row.id}`, {
        kind: 'domain',
        value: 'added.nhs.uk',
        organisationId: String(trustId),
        requireSso: 'yes',
      });
      assert.equal(changed.statusCode, 303, visibleText(changed.body));
      const json = await admin.getJson('/api/admin/sign-in-domains');
      assert.deepEqual(
        json.json().mappings.find((m: { value: string }) => m.value === 'added.nhs.uk'),
        {
          id: row.id,
          kind: 'domain',
          value: 'added.nhs.uk',
          organisationId: trustId,
          organisationName: 'Rotherham Trust',
          mayJoin: false,
          requireSso: true,
        },
      );
      const removed = await admin.postForm(`/admin/sign-in-domains/${row.id}/remove`, {});
      assert.equal(removed.statusCode, 303);

      const created = await admin.sendJson('POST', '/api/admin/sign-in-domains', {
        kind: 'claim',
        value: 'X26',
        organisationId: trustId,
        mayJoin: true,
      });
      assert.equal(created.statusCode, 201, created.body);
      const mappingId = created.json().mapping.id;
      const refused = await admin.sendJson('PUT', `/api/admin/sign-in-domains/${mappingId}`, {
        kind: 'claim',
        value: 'X26',
        organisationId: trustId,
        requireSso: true,
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Single sign-on can only be required for an email domain/);
      const put = await admin.sendJson('PUT', `/api/admin/sign-in-domains/${mappingId}`, {
        kind: 'claim',
        value: 'X27',
        organisationId: trustId,
      });
      assert.equal(put.json().mapping.value, 'X27');
      assert.equal((await admin.sendJson('DELETE', `/api/admin/sign-in-domains/${mappingId}`, {})).statusCode, 204);

      const audit = await t.database.db
        .selectFrom('audit_events')
        .select(['action'])
        .where('entity_type', '=', 'sign-in domain')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['added', 'changed', 'removed', 'added', 'changed', 'removed'],
      );
    });
  });
}

describe('single sign-on when things go wrong', () => {
  const [target] = databaseTargets;
  assert.ok(target);

  it("refuses an ID token that has expired by Clasp's clock", async () => {
    const op = await startProvider({ claspBase: BASE });
    // Clasp's clock two hours ahead: the provider's ID token (an hour's life) has expired.
    const t = await startTestApp(target, {
      env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) },
      now: () => new Date(Date.now() + 2 * 3_600_000),
    });
    try {
      op.people.set('ada-sub', { email: 'ada@trust.nhs.uk', email_verified: true, name: 'Ada' });
      await createUser(t.database.db, { email: 'ada@trust.nhs.uk' });
      const res = await ssoSignIn(t, 'ada-sub');
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /Signing in with your organisation's account did not work/);
      assert.equal(
        res.cookies.find((c) => c.name === 'clasp_session'),
        undefined,
      );
      const events = await securityEvents(t);
      assert.ok(
        events.some((e) => /timestamp/i.test(e.detail ?? '')),
        JSON.stringify(events.map((e) => e.detail)),
      );
    } finally {
      await t.close();
      await op.stop();
    }
  });

  it('says plainly when the provider cannot be reached, and password sign-in still works', async () => {
    const op = await startProvider({ claspBase: BASE });
    const t = await startTestApp(target, { env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) } });
    try {
      await createUser(t.database.db, { email: 'ada@trust.nhs.uk', name: 'Ada', password: PASSWORD });
      op.people.set('ada-sub', { email: 'ada@trust.nhs.uk', email_verified: true, name: 'Ada' });
      const location = await startSso(t);
      const back = await signInAtProvider(location, 'ada-sub');
      await op.stop();
      // The provider goes down between the person signing in there and Clasp asking for the token.
      const res = await callback(t, back);
      assert.equal(res.statusCode, 503);
      assert.match(
        visibleText(res.body),
        new RegExp(
          "Your organisation's sign-in service cannot be reached just now\\. " +
            'Try again later, or sign in with your email address and password',
        ),
      );
      assert.match(res.body, /name="password"/);
      const page = await t.anonymous.get('/sign-in');
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /cannot be reached just now/);
      const start = await t.anonymous.get('/sign-in/sso');
      assert.equal(start.statusCode, 503);
      assert.match(visibleText(start.body), /cannot be reached just now/);
      const password = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'ada@trust.nhs.uk',
        password: PASSWORD,
        next: '',
      });
      assert.equal(password.statusCode, 303);
      assert.equal(password.headers.location, '/my-work');
    } finally {
      await t.close();
    }
  });

  it('says so on the sign-in page when the provider is down from the start', async () => {
    const op = await startProvider({ claspBase: BASE });
    await op.stop();
    const t = await startTestApp(target, { env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) } });
    try {
      const page = await t.anonymous.get('/sign-in');
      assert.equal(page.statusCode, 200);
      assert.match(visibleText(page.body), /cannot be reached just now/);
      assert.match(page.body, /name="password"/);
    } finally {
      await t.close();
    }
  });

  it("reads the claims the ID token lacks from the provider's userinfo endpoint", async () => {
    const op = await startProvider({ claspBase: BASE, claimsFromUserInfoOnly: true });
    const t = await startTestApp(target, { env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) } });
    try {
      const trust = await createOrganisation(t.database.db, { name: 'Userinfo Trust' });
      await t.database.db
        .insertInto('sign_in_domains')
        .values({
          kind: 'claim',
          value: 'RXX',
          organisation_id: trust,
          may_join: 1,
          require_sso: 0,
          created_at: 'x',
          updated_at: 'x',
        })
        .execute();
      op.people.set('info-sub', { email: 'ivy@info.example', email_verified: true, name: 'Ivy Info', org_code: 'RXX' });
      const res = await ssoSignIn(t, 'info-sub');
      assert.equal(res.statusCode, 303, visibleText(res.body));
      const ivy = await userByEmail(t, 'ivy@info.example');
      assert.equal(ivy?.name, 'Ivy Info');
      assert.ok(
        op.requests.some((r) => r.startsWith('/me')),
        'Clasp asked the userinfo endpoint',
      );
    } finally {
      await t.close();
      await op.stop();
    }
  });

  it('signs out of Clasp only when the provider offers no sign-out', async () => {
    const op = await startProvider({ claspBase: BASE, logout: false });
    const t = await startTestApp(target, { env: { CLASP_PUBLIC_URL: BASE, ...claspSettings(op) } });
    try {
      await createUser(t.database.db, { email: 'ada@trust.nhs.uk' });
      op.people.set('ada-sub', { email: 'ada@trust.nhs.uk', email_verified: true, name: 'Ada' });
      const res = await ssoSignIn(t, 'ada-sub');
      const cookie = sessionCookie(res);
      const page = await t.app.inject({ url: '/my-work', headers: { cookie } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const out = await t.app.inject({
        method: 'POST',
        url: '/sign-out',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      assert.equal(out.headers.location, '/signed-out');
      assert.equal((await t.app.inject({ url: '/my-work', headers: { cookie } })).statusCode, 303);
    } finally {
      await t.close();
      await op.stop();
    }
  });
});
