import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * API tokens: what each scope lets a script do, the reviews a token is limited to, expiry and
 * revocation, and managing tokens on the account page and through the API.
 */

const START = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;

interface Reply {
  status: number;
  body: string;
  json: () => unknown;
}

function reply(res: LightMyRequestResponse): Reply {
  return { status: res.statusCode, body: res.body, json: () => res.json() };
}

for (const target of databaseTargets) {
  describe(`API tokens, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let clock = START;
    let leeds: number;
    let york: number;
    let rita: Client;
    let adam: Client;

    /** A request made with a token, from an address. */
    async function api(
      token: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      json?: unknown,
      remoteAddress = '10.1.2.3',
    ): Promise<Reply> {
      return reply(
        await t.app.inject({
          method,
          url,
          remoteAddress,
          headers: {
            authorization: `Bearer ${token}`,
            ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(json === undefined ? {} : { payload: JSON.stringify(json) }),
        }),
      );
    }

    /** Creates a token on the account page and reads it off the page, shown once. */
    async function tokenFromPage(client: Client, fields: Record<string, string | string[]>): Promise<string> {
      const res = await client.postForm('/account/tokens', fields);
      assert.equal(res.statusCode, 200, visibleText(res.body).slice(0, 400));
      const token = /<code class="clasp-token">([^<]+)<\/code>/.exec(res.body)?.[1];
      assert.ok(token, 'the new token is shown');
      return token;
    }

    const reviewIds = (r: Reply) => (r.json() as { reviews: { id: number }[] }).reviews.map((x) => x.id).sort();

    before(async () => {
      t = await startTestApp(target, { now: () => new Date(clock) });
      db = t.database.db;
      const org = await createOrganisation(db, { kind: 'commissioner' });
      leeds = await createReview(db, { area: 'Leeds', leadOrganisationId: org });
      york = await createReview(db, { area: 'York', leadOrganisationId: org });
      const ritaId = await createUser(db, { name: 'Rita Coordinator' });
      await addMember(db, { userId: ritaId, reviewId: leeds, organisationId: org, role: 'coordinator' });
      await addMember(db, { userId: ritaId, reviewId: york, organisationId: org, role: 'coordinator' });
      rita = new Client(t.app, await sessionFor(db, ritaId));
      const adamId = await createUser(db, { name: 'Adam Administrator', isAdmin: true });
      adam = new Client(t.app, await sessionFor(db, adamId));
    });
    after(() => t.close());

    it('lets a read-only token read but not change anything, and says why', async () => {
      const token = await tokenFromPage(rita, { tokenName: 'Dashboard', scope: 'read' });
      assert.equal((await api(token, 'GET', '/api/reviews')).status, 200);
      const change = await api(token, 'POST', '/api/tokens', { tokenName: 'Another' });
      assert.equal(change.status, 403);
      assert.match(change.body, /This token can only read\. Create a token with the write scope to change things\./);
      const edit = await api(token, 'PUT', `/api/reviews/${leeds}`, {});
      assert.equal(edit.status, 403, 'refused before the form is read');
    });

    it('lets a write token change things but not administer, even for an administrator', async () => {
      const writer = await tokenFromPage(adam, { tokenName: 'Script', scope: 'write' });
      const made = await api(writer, 'POST', '/api/tokens', { tokenName: 'Made by a script', scope: 'read' });
      assert.equal(made.status, 201, made.body);
      const admin = await api(writer, 'GET', '/api/admin/users');
      assert.equal(admin.status, 403);
      assert.match(admin.body, /This token cannot administer/);
      const administrator = await tokenFromPage(adam, { tokenName: 'Accounts report', scope: 'admin' });
      assert.equal((await api(administrator, 'GET', '/api/admin/users')).status, 200);
    });

    it('offers the admin scope only to administrators, and refuses it to anyone else', async () => {
      const page = visibleText((await rita.get('/account')).body);
      assert.match(page, /Read only/);
      assert.match(page, /Read and change/);
      assert.doesNotMatch(page, /Administer/);
      assert.match(visibleText((await adam.get('/account')).body), /Administer/);
      const refused = await rita.postForm('/account/tokens', { tokenName: 'Sneaky', scope: 'admin' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /class="nhsuk-error-summary/);
      assert.match(visibleText(refused.body), /Only an administrator can create a token that administers/);
      assert.match(refused.body, /value="Sneaky"/, 'what was typed is kept');
    });

    it('limits a token to the reviews ticked: the others are not there', async () => {
      const token = await tokenFromPage(rita, { tokenName: 'Leeds only', scope: 'write', reviews: [String(leeds)] });
      assert.deepEqual(reviewIds(await api(token, 'GET', '/api/reviews')), [leeds]);
      assert.equal((await api(token, 'GET', `/api/reviews/${leeds}`)).status, 200);
      assert.equal((await api(token, 'GET', `/api/reviews/${york}`)).status, 404);
      const everywhere = await tokenFromPage(rita, { tokenName: 'Everything', scope: 'read' });
      assert.deepEqual(reviewIds(await api(everywhere, 'GET', '/api/reviews')), [leeds, york].sort());
      const page = visibleText((await rita.get('/account')).body);
      assert.match(page, /Leeds only .*Reviews Leeds /);
      assert.match(page, /Everything .*Reviews All your reviews/);
    });

    it('refuses an expired token and a revoked one, each with what to do', async () => {
      const soon = new Date(clock + DAY);
      const token = await tokenFromPage(rita, {
        tokenName: 'Short lived',
        scope: 'read',
        'expires-day': String(soon.getUTCDate()),
        'expires-month': String(soon.getUTCMonth() + 1),
        'expires-year': String(soon.getUTCFullYear()),
      });
      assert.equal((await api(token, 'GET', '/api/reviews')).status, 200);
      clock += 3 * DAY;
      try {
        const expired = await api(token, 'GET', '/api/reviews');
        assert.equal(expired.status, 401);
        assert.match(expired.body, /This API token has expired\. Create a new one on your account page/);
      } finally {
        clock -= 3 * DAY;
      }
      await db
        .updateTable('api_tokens')
        .set({ expires_at: new Date(clock - DAY).toISOString() })
        .where('name', '=', 'Short lived')
        .execute();
      assert.match(
        visibleText((await rita.get('/account')).body),
        /Short lived Expired .*Expires Expired at the end of 6 December 2026/,
      );

      const revoking = await tokenFromPage(rita, { tokenName: 'To revoke', scope: 'read' });
      const { id } = await db
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', 'To revoke')
        .executeTakeFirstOrThrow();
      const revoked = await rita.postForm(`/account/tokens/${id}/revoke`, {});
      assert.equal(revoked.statusCode, 303);
      const refused = await api(revoking, 'GET', '/api/reviews');
      assert.equal(refused.status, 401);
      assert.match(refused.body, /This API token has been revoked\. Create a new one/);
      assert.doesNotMatch(visibleText((await rita.get('/account')).body), /To revoke/, 'revoked tokens are left out');
    });

    it('refuses a date more than a year ahead, or in the past, in the page’s words', async () => {
      const refused = await rita.postForm('/account/tokens', {
        tokenName: 'Forever',
        scope: 'read',
        'expires-day': '1',
        'expires-month': '1',
        'expires-year': '2030',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(
        visibleText(refused.body),
        /The date the token expires must be within a year, on or before 7 December 2027/,
      );
      assert.match(refused.body, /href="#expires-day"/);
      const past = await rita.postForm('/account/tokens', {
        tokenName: 'Yesterday',
        scope: 'read',
        'expires-day': '6',
        'expires-month': '12',
        'expires-year': '2026',
      });
      assert.match(visibleText(past.body), /The date the token expires must be in the future/);
    });

    it('shows when and from where each token was last used', async () => {
      const token = await tokenFromPage(rita, { tokenName: 'Board report', scope: 'read' });
      await tokenFromPage(rita, { tokenName: 'Unused', scope: 'read' });
      await api(token, 'GET', '/api/reviews', undefined, '192.0.2.7');
      const page = visibleText((await rita.get('/account')).body);
      assert.match(page, /Board report .*Last used 7 December 2026 at midday from 192\.0\.2\.7/);
      assert.match(page, /Unused .*Last used Never used/);
      assert.match(page, /Expires At the end of 7 March 2027/, 'the default is 90 days ahead');
    });

    it('manages tokens through the API, never reaching further than the token used', async () => {
      const session = await rita.sendJson('POST', '/api/tokens', {
        tokenName: 'Made with a session',
        scope: 'write',
        expires: '2027-01-31',
        reviews: [leeds],
      });
      assert.equal(session.statusCode, 201, session.body);
      const made = session.json<{ token: { id: number; secret: string; scopes: string[]; expiresAt: string } }>();
      assert.deepEqual(made.token.scopes, ['read', 'write']);
      assert.equal(made.token.expiresAt, '2027-02-01T00:00:00.000Z', 'it works to the end of that day in England');
      const secret = made.token.secret;

      const listed = await api(secret, 'GET', '/api/tokens');
      assert.equal(listed.status, 200);
      assert.doesNotMatch(listed.body, new RegExp(secret.slice(6)), 'secrets are never listed');
      const mine = (listed.json() as { tokens: { id: number; reviews: { id: number }[] | null }[] }).tokens.find(
        (x) => x.id === made.token.id,
      );
      assert.deepEqual(
        mine?.reviews?.map((r) => r.id),
        [leeds],
      );

      const broader = await api(secret, 'POST', '/api/tokens', { tokenName: 'x', scope: 'admin' });
      assert.equal(broader.status, 400);
      assert.match(broader.body, /Only an administrator can create a token that administers/);
      const later = await api(secret, 'POST', '/api/tokens', { tokenName: 'x', expires: '2027-06-01' });
      assert.equal(later.status, 400);
      assert.match(later.body, /on or before 31 January 2027, when the token you are using expires/);
      const elsewhere = await api(secret, 'POST', '/api/tokens', { tokenName: 'x', reviews: [york] });
      assert.equal(elsewhere.status, 400);
      assert.match(elsewhere.body, /Select only reviews you are a member of/);

      const child = await api(secret, 'POST', '/api/tokens', { tokenName: 'Child', scope: 'write' });
      assert.equal(child.status, 201, child.body);
      const childToken = child.json() as { token: { id: number; reviews: { id: number }[] | null; expiresAt: string } };
      assert.deepEqual(
        childToken.token.reviews?.map((r) => r.id),
        [leeds],
        'limited to the reviews of its maker',
      );
      assert.equal(childToken.token.expiresAt, '2027-02-01T00:00:00.000Z', 'and no later than it');

      const gone = await api(secret, 'DELETE', `/api/tokens/${childToken.token.id}`);
      assert.equal(gone.status, 204);
      assert.equal((await api(secret, 'DELETE', `/api/tokens/${childToken.token.id}`)).status, 404);
      const audit = await db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_type', '=', 'api_token')
        .where('entity_id', '=', String(childToken.token.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['created', 'revoked'],
      );
    });
  });
}
