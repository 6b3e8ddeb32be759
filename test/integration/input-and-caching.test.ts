import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import type { Client } from '../helpers/client.ts';
import { addMember } from '../helpers/people.ts';

/*
 * Input Clasp refuses in one place (a NUL character anywhere in what is sent), and answers no
 * browser or proxy may keep. PostgreSQL cannot store NUL in text, so before the guard these
 * requests failed with 500 there; SQLite stored it.
 */

const NUL = '\u0000';
const REFUSED = /contains a NUL character \(code 0\), which Clasp does not accept/;

for (const target of databaseTargets) {
  describe(`refusing NUL and keeping nothing in caches, on ${target.name}`, () => {
    let t: TestApp;
    let admin: Client;
    let reviewId: number;
    let organisationId: number;
    before(async () => {
      t = await startTestApp(target);
      admin = await t.admin();
      organisationId = await createOrganisation(t.database.db, { name: 'Testshire Council' });
      reviewId = await createReview(t.database.db, { coveredOrganisationIds: [organisationId] });
      const userId = admin.session?.userId;
      assert.ok(userId !== undefined);
      await addMember(t.database.db, { userId, reviewId, organisationId, role: 'coordinator' });
    });
    after(() => t.close());

    const groupCount = async () => {
      const rows = await t.database.db
        .selectFrom('recommendation_groups')
        .select('id')
        .where('review_id', '=', reviewId)
        .execute();
      return rows.length;
    };

    it('refuses NUL in the address and the query string with 400 and says why', async () => {
      for (const url of [`/reviews/${reviewId}%00`, `/reviews?area=a%00b`, `/api/reviews?x=%00`]) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, 400, url);
        assert.match(url.startsWith('/api/') ? res.json().error : visibleText(res.body), REFUSED, url);
      }
    });

    it('refuses NUL in a sign-in email, a form, a JSON body and a multipart field, saving nothing', async () => {
      const signIn = await t.anonymous.postForm('/sign-in', { email: `someone${NUL}@example.nhs.uk`, password: 'x' });
      assert.equal(signIn.statusCode, 400);
      assert.match(visibleText(signIn.body), REFUSED);

      const account = await admin.postForm('/admin/users/new', {
        name: 'Nul Person',
        email: `nul${NUL}@example.nhs.uk`,
      });
      assert.equal(account.statusCode, 400);
      const users = await admin.get('/admin/users');
      assert.doesNotMatch(visibleText(users.body), /Nul Person/);

      const before = await groupCount();
      const json = await admin.sendJson('POST', `/api/reviews/${reviewId}/groups`, {
        number: 1,
        heading: `Testshire Council${NUL} should:`,
        organisationIds: [organisationId],
      });
      assert.equal(json.statusCode, 400);
      assert.match(json.json().error, REFUSED);
      const form = await admin.postForm(`/reviews/${reviewId}/groups/new`, {
        number: '1',
        heading: `Testshire Council${NUL} should:`,
        organisationIds: String(organisationId),
      });
      assert.equal(form.statusCode, 400);
      // A NUL in a file's bytes is its own business; in a text field beside it, it is refused.
      const upload = await admin.postMultipart('/reviews/import', { note: `a${NUL}b` }, [
        { field: 'file', fileName: 'report.txt', contentType: 'text/plain', bytes: Buffer.from(`A report${NUL}`) },
      ]);
      assert.equal(upload.statusCode, 400);
      assert.match(visibleText(upload.body), REFUSED);
      assert.equal(await groupCount(), before);
    });

    it('accepts the same things without the NUL', async () => {
      const json = await admin.sendJson('POST', `/api/reviews/${reviewId}/groups`, {
        number: 1,
        heading: 'Testshire Council should:',
        organisationIds: [organisationId],
      });
      assert.equal(json.statusCode, 201);
    });

    it('tells browsers and proxies to keep no signed-in page or API answer', async () => {
      for (const url of ['/reviews', `/reviews/${reviewId}`, '/api/reviews', '/account']) {
        const res = await admin.get(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      const signIn = await t.anonymous.get('/sign-in');
      assert.equal(signIn.headers['cache-control'], 'no-store');
      // Files that are the same for everyone keep their own rule.
      const styles = await admin.get('/static/ratings.css');
      assert.equal(styles.headers['cache-control'], 'public, max-age=3600');
    });
  });
}
