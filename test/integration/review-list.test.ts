import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordAudit } from '../../src/platform/audit.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

/*
 * The list of reviews says where each review stands, so a person can pick the one that needs
 * them without opening each: the plan's due position, the actions by rating, what needs
 * attention and when anything last changed; and it tells apart two reviews of the same area.
 */

for (const target of databaseTargets) {
  describe(`the list of reviews, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let person: Client;
    const ids = { first: 0, second: 0, older: 0 };

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      const lead = await createOrganisation(db, { kind: 'commissioner', name: 'Listshire CCG' });
      // Two reviews of Listshire with the same dates, and an older one of it, sent late.
      ids.first = await createReview(db, { area: 'Listshire', leadOrganisationId: lead, scale: 'BRAG' });
      ids.second = await createReview(db, { area: 'Listshire', leadOrganisationId: lead });
      ids.older = await createReview(db, {
        area: 'Listshire',
        leadOrganisationId: lead,
        start: '2015-05-18',
        published: '2015-07-14',
        received: '2015-07-14',
      });
      await db
        .updateTable('reviews')
        .set({ plan_issued: '2015-08-13', review_end: '2015-05-22' })
        .where('id', '=', ids.older)
        .execute();

      const group = await createGroup(db, ids.first, 1, [lead]);
      const rec = await createRecommendation(db, { reviewId: ids.first, groupId: group, number: '1.1' });
      const red = await createAction(db, {
        reviewId: ids.first,
        recommendationId: rec,
        organisationIds: [lead],
        dueDate: '2025-06-30',
      });
      await createAction(db, { reviewId: ids.first, recommendationId: rec, organisationIds: [lead] });
      await addRating(db, { reviewId: ids.first, actionId: red, kind: 'agreed', rating: 'red', on: '2025-04-01' });
      await db
        .transaction()
        .execute((trx) =>
          recordAudit(
            trx,
            { actor: 'Test', reviewId: ids.first, entityType: 'review', entityId: ids.first, action: 'updated' },
            new Date('2026-11-20T10:00:00Z'),
          ),
        );

      const userId = await createUser(db, { name: 'Lee Lister' });
      for (const reviewId of Object.values(ids))
        await addMember(db, { userId, reviewId, organisationId: lead, role: 'viewer' });
      person = new Client(t.app, await sessionFor(db, userId));
    });
    after(() => t.close());

    it('says where each review stands and tells apart reviews of the same area', async () => {
      const page = await person.get('/reviews');
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      // The two with the same dates carry their numbers; the older one needs none.
      const sameDates = 'Reviewed 13 January 2025 to 17 January 2025, report published 3 March 2025';
      for (const id of [ids.first, ids.second])
        assert.ok(text.includes(`Listshire. ${sameDates} (review ${id}).`), `review ${id} carries its number`);
      assert.match(text, /Listshire\. Reviewed 18 May 2015 to 22 May 2015, report published 14 July 2015\./);
      // Due positions: the older plan was sent 2 working days after 11 August 2015.
      assert.match(text, /Plan sent 13 August 2015, 2 working days late/);
      assert.match(text, /Plan due 31 March 2025 and not sent: \d+ working days overdue/);
      // The first review's actions by rating, what needs attention, and its last change.
      assert.match(text, /0 findings, 1 recommendation; 2 actions: 1 Red, 1 not rated/);
      assert.match(text, /\d+ things? needs? attention Last change 20 November 2026/);
      assert.match(text, /Last change 20 November 2026/);
      assert.match(text, /No actions yet/);
      assert.match(text, /No changes recorded/);
      // The API gives the same, as figures.
      const api = (await person.getJson('/api/reviews')).json<{
        reviews: {
          id: number;
          plan_due: string;
          plan_issued: string | null;
          ratings: object;
          needs_attention: number;
          last_activity: string | null;
        }[];
      }>();
      const first = api.reviews.find((r) => r.id === ids.first);
      assert.deepEqual(
        first && { ...first, needs_attention: first.needs_attention > 0 },
        first && {
          ...first,
          plan_due: '2025-03-31',
          plan_issued: null,
          ratings: { red: 1, amber: 0, green: 0, blue: 0, unrated: 1 },
          needs_attention: true,
          last_activity: '2026-11-20T10:00:00.000Z',
        },
      );
      assert.equal(api.reviews.find((r) => r.id === ids.older)?.plan_issued, '2015-08-13');
      // A late plan is marked in bold, not by colour alone.
      assert.match(page.body, /<strong>Plan sent 13 August 2015, 2 working days late<\/strong>/);
    });
  });
}
