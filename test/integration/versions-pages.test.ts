import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * The pages of a review's versions read as every other page of a review does: their breadcrumbs
 * start at "Reviews", then the review; and a version refused for want of a purpose says so in the
 * words of the page, never with the codes a script sends, which the API lists apart.
 */

/** The breadcrumbs of a page, as their link texts and addresses. */
function breadcrumbsOf(html: string): { text: string; href: string }[] {
  const nav = /<nav class="nhsuk-breadcrumb"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<li class="nhsuk-breadcrumb__list-item">\s*<a[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map(
    (m) => ({ text: visibleText(m[2] ?? ''), href: m[1] ?? '' }),
  );
}

for (const target of databaseTargets) {
  describe(`the versions pages on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let coordinator: Client;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const icb = await createOrganisation(db, { kind: 'commissioner' });
      reviewId = await createReview(db, { area: 'Crumbshire', leadOrganisationId: icb, coveredOrganisationIds: [icb] });
      const groupId = await createGroup(db, reviewId, 1, [icb]);
      const rec = await createRecommendation(db, { reviewId, groupId, number: '1.1' });
      await createAction(db, { reviewId, recommendationId: rec, organisationIds: [icb] });
      const userId = await createUser(db, { name: 'Cat Coordinator' });
      await addMember(db, { userId, reviewId, organisationId: icb, role: 'coordinator' });
      coordinator = new Client(t.app, await sessionFor(db, userId));
    });
    after(() => t.close());

    it('start their breadcrumbs at Reviews, then the review, like every page of a review', async () => {
      const issued = await coordinator.postForm(`/reviews/${reviewId}/versions`, { purpose: 'comment' });
      assert.equal(issued.statusCode, 303, visibleText(issued.body));
      const number = (
        await t.database.db
          .selectFrom('plan_versions')
          .select('number')
          .where('review_id', '=', reviewId)
          .executeTakeFirstOrThrow()
      ).number;
      const review = `/reviews/${reviewId}`;
      const start = [
        { text: 'Reviews', href: '/reviews' },
        { text: 'Crumbshire', href: review },
      ];
      const versions = { text: 'Versions and documents', href: `${review}/versions` };
      const pages: [string, { text: string; href: string }[]][] = [
        [`${review}/versions`, start],
        [`${review}/versions/new`, [...start, versions]],
        [`${review}/versions/${encodeURIComponent(number)}`, [...start, versions]],
        [`${review}/compare?from=${encodeURIComponent(number)}&to=now`, [...start, versions]],
      ];
      for (const [path, crumbs] of pages) {
        const res = await coordinator.get(path);
        assert.equal(res.statusCode, 200, path);
        assert.deepEqual(breadcrumbsOf(res.body), crumbs, path);
      }
    });

    it('refuses a version without a purpose in the words on the page; the API lists the purposes apart', async () => {
      const page = await coordinator.postForm(`/reviews/${reviewId}/versions`, { purpose: 'board' });
      assert.equal(page.statusCode, 400);
      const text = visibleText(page.body);
      assert.match(text, /There is a problem Select what this version is for/);
      assert.doesNotMatch(text, /\b(cqc|hwb)\b|Circulated for comment\)/);

      const api = await coordinator.sendJson('POST', `/api/reviews/${reviewId}/versions`, { purpose: 'board' });
      assert.equal(api.statusCode, 400);
      assert.deepEqual(api.json().errors, [
        {
          field: 'purpose',
          message: 'Select what this version is for',
          allowed: ['comment', 'cqc', 'hwb', 'scrutiny', 'other'],
        },
      ]);
    });
  });
}
