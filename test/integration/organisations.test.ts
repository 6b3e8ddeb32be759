import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import {
  addNoteEvidence,
  addProgress,
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import type { Db } from '../../src/platform/db/database.ts';

/* An organisation's page within a review, and the last progress shown on the overview. */

for (const target of databaseTargets) {
  describe(`organisation pages on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let otherReviewId: number;
    let trust: number;
    let ccg: number;
    let council: number;
    let practice: number;
    let unrelated: number;
    let overdueAction: number;
    let sharedAction: number;
    let editorId: number;
    let viewer: Client;
    let coordinator: Client;
    let outsider: Client;

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      trust = await createOrganisation(db, {
        name: 'Orgshire Hospitals NHS Trust',
        shortName: 'Orgshire Hospitals',
        kind: 'nhs_trust',
      });
      ccg = await createOrganisation(db, { name: 'NHS Orgshire ICB', kind: 'commissioner' });
      council = await createOrganisation(db, { name: 'Orgshire Council', kind: 'local_authority' });
      practice = await createOrganisation(db, { name: 'Orgshire Surgery', kind: 'gp_practice' });
      unrelated = await createOrganisation(db, { name: 'Faraway Trust', kind: 'nhs_trust' });
      reviewId = await createReview(db, {
        area: 'Orgshire',
        leadOrganisationId: ccg,
        coveredOrganisationIds: [trust, ccg, council],
      });
      otherReviewId = await createReview(db, { area: 'Faraway', coveredOrganisationIds: [unrelated] });

      const g1 = await createGroup(db, reviewId, 1, [trust, practice]);
      const g2 = await createGroup(db, reviewId, 2, [ccg]);
      const r11 = await createRecommendation(db, {
        reviewId,
        groupId: g1,
        number: '1.1',
        text: 'Improve triage.',
        position: 1,
      });
      const r12 = await createRecommendation(db, {
        reviewId,
        groupId: g1,
        number: '1.2',
        text: 'Train staff.',
        position: 2,
      });
      const r21 = await createRecommendation(db, {
        reviewId,
        groupId: g2,
        number: '2.1',
        text: 'Commission a service.',
        position: 3,
      });
      overdueAction = await createAction(db, {
        reviewId,
        recommendationId: r11,
        organisationIds: [trust],
        text: 'Add a prompt to the <b>triage</b> form.',
        dueDate: '2026-01-31',
        dateWords: 'Jan-26',
        createdOn: '2025-05-01',
        position: 1,
      });
      sharedAction = await createAction(db, {
        reviewId,
        recommendationId: r12,
        organisationIds: [trust, ccg],
        text: 'Train every triage nurse.',
        dueDate: '2026-09-30',
        position: 1,
      });
      await createAction(db, {
        reviewId,
        recommendationId: r21,
        organisationIds: [ccg],
        text: 'Commission the service.',
        lead: '',
        position: 1,
      });
      await addProgress(db, { reviewId, actionId: overdueAction, on: '2026-06-01', text: 'Started.' });
      await addProgress(db, { reviewId, actionId: overdueAction, on: '2026-09-15', text: 'Draft ready.' });
      await addRating(db, { reviewId, actionId: overdueAction, kind: 'agreed', rating: 'amber', on: '2026-09-20' });
      await addProgress(db, { reviewId, actionId: sharedAction, on: '2026-10-20', text: 'All trained.' });
      await addRating(db, { reviewId, actionId: sharedAction, kind: 'agreed', rating: 'blue', on: '2026-10-25' });
      await addNoteEvidence(db, { reviewId, actionId: sharedAction, title: 'Training register', on: '2026-10-20' });
      // Fresh evidence of its completion is due next year: nothing about lasting assurance to chase yet.
      await db
        .updateTable('actions')
        .set({ reassurance_due_on: '2027-10-31' })
        .where('id', '=', sharedAction)
        .execute();

      editorId = await createUser(db, { name: 'Eddie Editor', email: 'eddie.editor@orgshire.nhs.uk' });
      await addMember(db, { userId: editorId, reviewId, organisationId: trust, role: 'editor' });
      viewer = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: trust, role: 'viewer', name: 'Vi Viewer' }),
      );
      coordinator = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: ccg, role: 'coordinator', name: 'Co Ordinator' }),
      );
      outsider = new Client(
        t.app,
        await signedInMember(db, { reviewId: otherReviewId, organisationId: unrelated, role: 'coordinator' }),
      );
    });

    after(async () => t.close());

    const organisationPage =
      "shows an organisation's part, ratings, last progress, actions by recommendation, exceptions and people";
    it(organisationPage, async () => {
      const res = await viewer.get(`/reviews/${reviewId}/organisations/${trust}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(res.body, /<h1>Orgshire Hospitals NHS Trust<\/h1>/);
      assert.match(text, /Kind of organisation NHS trust/);
      assert.match(text, /Short name Orgshire Hospitals/);
      assert.match(
        text,
        /Part in this review Covered by the review\. Addressed by recommendations 1\.1, 1\.2\. Named on 2 actions/,
      );
      assert.match(text, /Last progress 20 October 2026/);
      assert.match(text, /Worst rating: Amber/);
      assert.match(text, /Actions Blue Green Amber Red Not rated 2 1 0 1 0 0/);
      assert.match(
        text,
        new RegExp(
          /Recommendation 1\.1 Improve triage\. .*?Action 1 of recommendation 1\.1: /.source +
            /Add a prompt to the <b>triage<\/b> form\. Amber 31 January 2026 15 September 2026/.source,
        ),
      );
      assert.match(
        text,
        new RegExp(
          /Recommendation 1\.2 Train staff\. .*?Action 1 of recommendation 1\.2: /.source +
            /Train every triage nurse\. Blue 30 September 2026 20 October 2026/.source,
        ),
      );
      assert.doesNotMatch(text, /Recommendation 2\.1/, "another organisation's recommendation is not listed");
      assert.ok(res.body.includes('&lt;b&gt;triage&lt;/b&gt;'), 'action text is escaped');
      assert.ok(res.body.includes(`href="/reviews/${reviewId}/actions/${overdueAction}"`));

      assert.match(text, /Exceptions \(1\)/);
      assert.match(
        text,
        /Overdue \(1\) Action 1 of recommendation 1\.1: Due 31 January 2026 and not completed: 296 days overdue\./,
      );
      assert.doesNotMatch(text, /Not SMART/, "the ICB's not-SMART action is not the trust's exception");

      assert.match(
        text,
        new RegExp(
          /People People with roles for Orgshire Hospitals NHS Trust /.source +
            /in this review Name Role Eddie Editor Editor Vi Viewer Viewer/.source,
        ),
      );
      assert.ok(
        !res.body.includes('eddie.editor@orgshire.nhs.uk'),
        'no emails for someone who does not coordinate the review',
      );
    });

    it("shows people's emails to the review's coordinators", async () => {
      const res = await coordinator.get(`/reviews/${reviewId}/organisations/${trust}`);
      assert.equal(res.statusCode, 200);
      assert.match(visibleText(res.body), /Name Role Email Eddie Editor Editor eddie\.editor@orgshire\.nhs\.uk/);
    });

    const exceptionsAndGaps =
      'lists the exceptions of its actions and the recommendations addressed to it that it has no action for';
    it(exceptionsAndGaps, async () => {
      const ccgText = visibleText((await viewer.get(`/reviews/${reviewId}/organisations/${ccg}`)).body);
      assert.match(
        ccgText,
        new RegExp(
          /Part in this review Lead organisation for the action plan\. /.source +
            /Covered by the review\. Addressed by recommendation 2\.1\. Named on 2 actions/.source,
        ),
      );
      assert.match(ccgText, /Not SMART \(1\) Action 1 of recommendation 2\.1: Not SMART: /);
      assert.doesNotMatch(ccgText, /Overdue/);
      assert.match(ccgText, /Last progress 20 October 2026/);
      assert.match(
        ccgText,
        /Action 1 of recommendation 2\.1: Commission the service\. Not rated 31 March 2027 No progress yet/,
      );

      const surgery = await viewer.get(`/reviews/${reviewId}/organisations/${practice}`);
      assert.equal(surgery.statusCode, 200);
      const surgeryText = visibleText(surgery.body);
      assert.match(surgeryText, /Kind of organisation GP practice/);
      assert.match(surgeryText, /Orgshire Surgery has no actions in this plan/);
      assert.match(surgeryText, /Addressed organisation with no action of its own \(2\)/);
      assert.match(surgeryText, /Orgshire Surgery is addressed by recommendation 1\.1 but has no action of its own\./);
      assert.match(surgeryText, /Last progress No progress yet/);

      const councilText = visibleText((await viewer.get(`/reviews/${reviewId}/organisations/${council}`)).body);
      assert.match(councilText, /Part in this review Covered by the review/);
      assert.match(councilText, /There are no exceptions for Orgshire Council/);
      assert.match(councilText, /Nobody has a role for Orgshire Council in this review yet/);
    });

    it('has no page for an organisation that takes no part in the review, nor for people outside it', async () => {
      assert.equal((await viewer.get(`/reviews/${reviewId}/organisations/${unrelated}`)).statusCode, 404);
      assert.equal((await viewer.get(`/reviews/${reviewId}/organisations/999999`)).statusCode, 404);
      assert.equal((await viewer.getJson(`/api/reviews/${reviewId}/organisations/${unrelated}`)).statusCode, 404);
      assert.equal((await outsider.get(`/reviews/${reviewId}/organisations/${trust}`)).statusCode, 404);
      assert.equal((await outsider.getJson(`/api/reviews/${reviewId}/organisations/${trust}`)).statusCode, 404);
      assert.equal((await viewer.get(`/reviews/${reviewId}/organisations/not-a-number`)).statusCode, 404);
      assert.equal((await (await t.admin()).get(`/reviews/${reviewId}/organisations/${trust}`)).statusCode, 200);
    });

    it('gives the same facts as JSON', async () => {
      const res = await viewer.getJson(`/api/reviews/${reviewId}/organisations/${trust}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.organisation.name, 'Orgshire Hospitals NHS Trust');
      assert.equal(body.covered, true);
      assert.equal(body.lead, false);
      assert.deepEqual(body.addressedRecommendations, ['1.1', '1.2']);
      assert.equal(body.lastProgressOn, '2026-10-20');
      assert.deepEqual(body.ratings.counts, { blue: 1, green: 0, amber: 1, red: 0 });
      assert.deepEqual(
        body.actions.map((a: { label: string; rating: string; lastProgressOn: string }) => [
          a.label,
          a.rating,
          a.lastProgressOn,
        ]),
        [
          ['Action 1 of recommendation 1.1', 'amber', '2026-09-15'],
          ['Action 1 of recommendation 1.2', 'blue', '2026-10-20'],
        ],
      );
      assert.deepEqual(
        body.exceptions.map((e: { kind: string }) => e.kind),
        ['overdue'],
      );
      assert.deepEqual(body.people, [
        { name: 'Eddie Editor', role: 'editor' },
        { name: 'Vi Viewer', role: 'viewer' },
      ]);
      const asCoordinator = (await coordinator.getJson(`/api/reviews/${reviewId}/organisations/${trust}`)).json();
      assert.equal(asCoordinator.people[0].email, 'eddie.editor@orgshire.nhs.uk');
    });

    it('shows new progress and renamed people at once, though the page is kept between requests', async () => {
      const busy = await createReview(db, { area: 'Changeshire', coveredOrganisationIds: [trust] });
      const group = await createGroup(db, busy, 1, [trust]);
      const rec = await createRecommendation(db, { reviewId: busy, groupId: group, number: '1.1' });
      const action = await createAction(db, { reviewId: busy, recommendationId: rec, organisationIds: [trust] });
      const personId = await createUser(db, { name: 'Old Name' });
      await addMember(db, { userId: personId, reviewId: busy, organisationId: trust, role: 'viewer' });
      const reader = new Client(t.app, await sessionFor(db, personId));
      const url = `/reviews/${busy}/organisations/${trust}`;
      let text = visibleText((await reader.get(url)).body);
      assert.match(text, /Last progress No progress yet/);
      assert.match(text, /Old Name Viewer/);

      await addProgress(db, { reviewId: busy, actionId: action, on: '2026-11-02', text: 'Begun.' });
      await db.updateTable('users').set({ name: 'New Name' }).where('id', '=', personId).execute();
      text = visibleText((await reader.get(url)).body);
      assert.match(text, /Last progress 2 November 2026/);
      assert.match(text, /New Name Viewer/);
      assert.doesNotMatch(text, /Old Name/);
    });

    it('shows the last progress of each organisation and of the whole plan on the overview', async () => {
      const res = await viewer.get(`/reviews/${reviewId}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Organisation Worst rating Actions Blue Green Amber Red Not rated Last progress/);
      // Blue beside an unrated action is not Blue: the roll-up never flatters.
      assert.match(text, /NHS Orgshire ICB Not rated 1 of 2 actions rated 2 1 0 0 0 1 20 October 2026/);
      assert.match(text, /Orgshire Hospitals NHS Trust Amber 2 of 2 actions rated 2 1 0 1 0 0 20 October 2026/);
      assert.match(text, /Orgshire Surgery Not rated No actions 0 0 0 0 0 0 No progress yet/);
      assert.ok(
        res.body.includes(`<a href="/reviews/${reviewId}/organisations/${trust}">Orgshire Hospitals NHS Trust</a>`),
        'each organisation links to its page',
      );
      assert.match(
        visibleText(res.body),
        /Last progress 20 October 2026 Action plan due/,
        'the review details give the last progress of the whole plan',
      );

      const empty = await createReview(db, { area: 'Quietshire' });
      const admin = await t.admin();
      assert.match(visibleText((await admin.get(`/reviews/${empty}`)).body), /Last progress No progress yet/);
    });
  });
}
