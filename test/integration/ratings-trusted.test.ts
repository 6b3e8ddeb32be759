import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Ratings a scrutiny panel can trust (issue 13, section 1): a roll-up is never better than
 * any of its actions and says how many are rated; a fresh proposal waits for a decision and
 * is not a dispute, and the rating form and the exception list say the same; a rating
 * proposed with a progress update is dated as the update is.
 */
for (const target of databaseTargets) {
  describe(`ratings that never flatter, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let trust: number;
    let editor: Client;
    let reviewer: Client;
    const base = () => `/reviews/${reviewId}`;
    const text = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, url);
      return visibleText(res.body);
    };
    const dateFields = (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
    };
    /** A recommendation with actions rated as given (agreed ratings; null leaves one unrated). */
    async function recommendationWith(number: string, ratings: ('blue' | 'green' | 'amber' | 'red' | null)[]) {
      const db = t.database.db;
      const group = await createGroup(db, reviewId, Number(number.split('.')[0]), [trust]);
      const recommendationId = await createRecommendation(db, { reviewId, groupId: group, number });
      const ids: number[] = [];
      for (const rating of ratings) {
        const actionId = await createAction(db, {
          reviewId,
          recommendationId,
          organisationIds: [trust],
          createdOn: '2026-11-01',
        });
        if (rating) await addRating(db, { reviewId, actionId, kind: 'agreed', rating, on: '2026-11-10' });
        ids.push(actionId);
      }
      return ids;
    }

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      reviewId = await createReview(db, { area: 'Trustshire', coveredOrganisationIds: [trust] });
      editor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'editor' }));
      reviewer = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: trust, role: 'reviewer', name: 'Rita Reviewer' }),
      );
    });
    after(() => t.close());

    it('shows an unrated action against Blue ones as not rated, with how many are rated, everywhere', async () => {
      await recommendationWith('2.5', ['blue', 'blue', null]);
      const recommendation = await text(editor, `${base()}/recommendations/2.5`);
      assert.match(recommendation, /Rating: Not rated \(the worst rating of its actions; 2 of 3 actions rated\)/);

      const overview = await text(editor, base());
      assert.match(overview, /2\.5 [^]*?Not rated 2 of 3 actions rated 3 2 0 0 0 1/);
      assert.match(overview, /Whole plan Not rated 2 of 3 actions rated/);
      assert.match(overview, /Testshire Hospitals NHS Foundation Trust Not rated 2 of 3 actions rated/);

      const api = await editor.getJson(`/api${base()}`);
      assert.equal(api.statusCode, 200);
      const body = api.json();
      const rec = Object.values(body.ratings.byRecommendation as Record<string, { rating: unknown; unrated: number }>);
      assert.deepEqual(
        rec.map((r) => [r.rating, r.unrated]),
        [[null, 1]],
      );
      assert.equal(body.ratings.plan.rating, null);

      const board = await text(editor, `${base()}/documents/board-report/html`);
      assert.match(board, /2\.5 Rating Not rated Actions 3 Basis of the rating 2 of 3 actions rated\./);
    });

    it('keeps a known Red showing beside an unrated action', async () => {
      await recommendationWith('3.1', ['red', null]);
      assert.match(await text(editor, `${base()}/recommendations/3.1`), /Rating: Red \(.*1 of 2 actions rated\)/);
      assert.match(await text(editor, base()), /Whole plan Red 3 of 5 actions rated/);
    });

    it('lists a fresh proposal as awaiting a decision, not disputed, and the rating form agrees', async () => {
      const [actionId] = await recommendationWith('4.1', ['amber']);
      const posted = await editor.postForm(`${base()}/actions/${String(actionId)}/progress/new`, {
        ...dateFields('progressOn', '2026-11-02'),
        text: 'The audit of 40 records is complete.',
        proposedRating: 'green',
      });
      assert.equal(posted.statusCode, 303, visibleText(posted.body));

      const overview = await text(editor, base());
      assert.match(
        overview,
        new RegExp(
          /Ratings awaiting a decision \(1\) Action 1 of recommendation 4\.1: Proposed Green on 2 November 2026; /
            .source +
            /waiting for the group’s decision for 21 days\. The agreed rating is Amber \(agreed 10 November 2026\)\./
              .source,
        ),
      );
      assert.doesNotMatch(overview, /Disputed ratings/);

      const formUrl = `${base()}/actions/${String(actionId)}/rating`;
      const form = await reviewer.get(formUrl);
      assert.match(visibleText(form.body), /Where it stands A proposal is waiting for the group’s decision/);
      assert.match(form.body, /value="green" checked/, 'the waiting proposal is the starting choice');

      // The group agrees Amber again: now the organisation's Green is overruled, a dispute.
      const agreed = await reviewer.postForm(formUrl, {
        decision: 'agree',
        rating: 'amber',
        rationale: 'Re-audit due in January.',
      });
      assert.equal(agreed.statusCode, 303, visibleText(agreed.body));
      const after = await text(editor, base());
      assert.match(
        after,
        new RegExp(
          /Disputed ratings \(1\) Action 1 of recommendation 4\.1: Proposed Green on 2 November 2026, /.source +
            /but the group agreed Amber \(agreed 23 November 2026\)\./.source,
        ),
      );
      assert.doesNotMatch(after, /Ratings awaiting a decision/);
      const again = await reviewer.get(formUrl);
      assert.match(
        visibleText(again.body),
        /Where it stands Disputed: the group agreed Amber; the latest proposal was Green/,
      );
      assert.match(visibleText(again.body), /No proposal is waiting for a decision\./);
      assert.doesNotMatch(again.body, /value="[a-z]+" checked/, 'an old proposal is not chosen to start with');
    });

    it('judges recent evidence as at the date the review is assessed at, as the exceptions are', async () => {
      const [actionId] = await recommendationWith('6.1', [null]);
      await t.database.db
        .updateTable('reviews')
        .set({ assessed_as_of: '2026-10-31' })
        .where('id', '=', reviewId)
        .execute();
      try {
        const form = await text(reviewer, `${base()}/actions/${String(actionId)}/rating`);
        assert.match(form, /Accepted evidence from the last 90 days None is dated 2 August 2026 to 31 October 2026/);
        assert.match(await text(editor, base()), /As of 31 October 2026, the date this review is assessed at/);
      } finally {
        await t.database.db.updateTable('reviews').set({ assessed_as_of: null }).where('id', '=', reviewId).execute();
      }
    });

    it('dates a rating proposed with a progress update as the update, and keeps when it was typed in', async () => {
      const [actionId] = await recommendationWith('5.1', [null]);
      const posted = await editor.postForm(`${base()}/actions/${String(actionId)}/progress/new`, {
        ...dateFields('progressOn', '2026-11-02'),
        text: 'Training delivered to all triage nurses.',
        proposedRating: 'amber',
      });
      assert.equal(posted.statusCode, 303, visibleText(posted.body));
      const page = await text(editor, `${base()}/actions/${String(actionId)}`);
      assert.match(page, /2 November 2026 Proposed Amber/);
      const api = (await editor.getJson(`/api${base()}/actions/${String(actionId)}`)).json();
      const event = api.ratingHistory.at(-1);
      assert.equal(event.effective_on, '2026-11-02');
      assert.equal(event.decided_on, '2026-11-23', 'the day it was recorded is kept');
      assert.match(page, /Proposed Amber on 2 November 2026; waiting for the group’s decision/);

      // The next update is written knowing where the action stands.
      const form = await text(editor, `${base()}/actions/${String(actionId)}/progress/new`);
      assert.match(
        form,
        new RegExp(
          /Rating now Amber proposed, waiting for the group’s decision Due [^L]+ /.source +
            /Last update 2 November 2026, by [^:]+: Training delivered to all triage nurses\./.source,
        ),
      );
    });
  });
}
