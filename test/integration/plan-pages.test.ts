import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import {
  addNoteEvidence,
  addProgress,
  addRating,
  createAction,
  createFinding,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

for (const target of databaseTargets) {
  describe(`plan pages on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let overdueActionId: number;
    let blueActionId: number;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const ccg = await createOrganisation(db, {
        name: 'NHS Testshire Integrated Care Board',
        shortName: 'Testshire ICB',
        kind: 'commissioner',
      });
      const trust = await createOrganisation(db, {
        name: 'Testshire Hospitals NHS Foundation Trust',
        shortName: 'Testshire Hospitals',
        kind: 'nhs_trust',
      });
      // 2025-04-14 is the Monday before Easter 2025: Good Friday (18 April), Easter Monday (21 April)
      // and the early May bank holiday (5 May) all fall in the 20 working days.
      reviewId = await createReview(db, {
        area: 'Testshire',
        published: '2025-04-14',
        received: '2025-04-14',
        leadOrganisationId: ccg,
        coveredOrganisationIds: [ccg, trust],
      });
      const group = await createGroup(db, reviewId, 1, [ccg, trust], 'Testshire ICB and Testshire Hospitals should:');
      const rec = await createRecommendation(db, {
        reviewId,
        groupId: group,
        number: '1.1',
        text: 'Ensure that previous attendances are considered at triage.',
        outcome: 'Every child attending has a safeguarding assessment.',
        anticipatedEvidence: 'Audit of triage records.',
      });
      await createFinding(db, {
        reviewId,
        number: '1.6',
        text: 'Previous attendances were not considered.',
        recommendationIds: [rec],
      });
      await createFinding(db, {
        reviewId,
        number: '1.4',
        text: 'The waiting area is not observable.',
        kind: 'concern',
      });
      overdueActionId = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust],
        agency: 'Emergency department',
        text: 'Add a prompt about previous attendances to the <script>alert(1)</script> triage form.',
        lead: 'Matron, emergency department',
        dateWords: 'Jan-26',
        dueDate: '2026-01-31',
        position: 1,
        createdOn: '2025-05-01',
      });
      blueActionId = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust],
        text: 'Train all triage nurses.',
        dateWords: '30 September 2025',
        dueDate: '2025-09-30',
        position: 2,
      });
      await addProgress(db, { reviewId, actionId: overdueActionId, on: '2025-06-01', text: 'Draft prompt written.' });
      await addProgress(db, { reviewId, actionId: overdueActionId, on: '2025-05-10', text: 'Working group formed.' });
      await addRating(db, { reviewId, actionId: overdueActionId, kind: 'proposed', rating: 'amber', on: '2025-06-01' });
      await addRating(db, {
        reviewId,
        actionId: overdueActionId,
        kind: 'agreed',
        rating: 'amber',
        on: '2025-06-10',
        rationale: 'Prompt not yet live.',
      });
      await addRating(db, {
        reviewId,
        actionId: blueActionId,
        kind: 'agreed',
        rating: 'blue',
        on: '2025-10-10',
        rationale: 'Training records seen.',
      });
      await addProgress(db, { reviewId, actionId: blueActionId, on: '2025-10-01', text: 'All trained.' });
      await addNoteEvidence(db, { reviewId, actionId: blueActionId, title: 'Training register', on: '2025-09-30' });
    });

    after(async () => t.close());

    it('lists the reviews', async () => {
      const res = await (await t.admin()).get('/reviews');
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Review of health services for Children Looked After and Safeguarding in Testshire/);
      assert.match(text, /2 findings, 1 recommendation; 2 actions: 1 Amber, 1 Blue 5 things need attention/);
    });

    it('shows a review with its due date, rating summary and exceptions', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Action plan due 15 May 2025/);
      assert.match(text, /Lead organisation NHS Testshire Integrated Care Board/);
      assert.match(
        text,
        /1\.1 Ensure that previous attendances are considered at triage\. Amber 2 of 2 actions rated 2/,
      );
      assert.match(text, /Testshire Hospitals NHS Foundation Trust Amber 2 of 2 actions rated 2 1 0 1 0 0/);
      assert.match(text, /Whole plan Amber 2 of 2 actions rated 2 1 0 1 0 0/);
      assert.match(text, /Overdue \(1\) Action 1 of recommendation 1\.1: Due 31 January 2026 and not completed/);
      assert.match(
        text,
        /No recent progress \(1\) Action 1 of recommendation 1\.1: No progress recorded since 1 June 2025/,
      );
      assert.match(text, /Testshire ICB is addressed by recommendation 1\.1 but has no action of its own/);
      assert.match(text, /Concern with no recommendation \(1\) Finding 1\.4/);
      assert.equal((res.body.match(/<h1[\s>]/g) ?? []).length, 1);
    });

    it('shows a recommendation with its findings, outcome, evidence and actions', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}/recommendations/1.1`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Recommendation 1\.1/);
      assert.match(
        text,
        /Addressed to .* NHS Testshire Integrated Care Board Testshire Hospitals NHS Foundation Trust/,
      );
      assert.match(text, /Finding 1\.6 .*Previous attendances were not considered\./);
      assert.match(text, /Outcome Every child attending has a safeguarding assessment\./);
      assert.match(text, /Anticipated evidence Audit of triage records\./);
      assert.match(text, /Action 1: Add a prompt .* Matron, emergency department Jan-26 Read as 31 January 2026 Amber/);
      assert.match(text, /Action 2: Train all triage nurses\..* Blue/);
    });

    it('shows an action with its date reading, rating history and progress newest first', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}/actions/${overdueActionId}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Action 1 of recommendation 1\.1/);
      assert.match(text, /Agency or service Emergency department/);
      assert.match(text, /Date of action, as written Jan-26 Due date 31 January 2026/);
      assert.match(text, /Measure of completion Quarterly audit shows 95% compliance\./);
      assert.match(text, /Amber Agreed Amber\./);
      assert.match(text, /10 June 2025 Agreed Amber Peer challenge group Prompt not yet live\./);
      const first = text.indexOf('Working group formed.');
      const second = text.indexOf('Draft prompt written.');
      assert.ok(second > 0 && first > second, 'progress reads newest to oldest');
    });

    it('escapes user text instead of running it', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}/actions/${overdueActionId}`);
      assert.ok(!res.body.includes('<script>alert(1)</script>'));
      assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    });

    it('opens a finding and links to its recommendation', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}/findings/1.6`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`href="/reviews/${reviewId}/recommendations/1.1"`));
      const none = await (await t.admin()).get(`/reviews/${reviewId}/findings/1.4`);
      assert.match(visibleText(none.body), /This finding does not lead to a recommendation/);
    });

    it('answers unknown and malformed addresses with a 404 page', async () => {
      for (const url of [
        '/reviews/999999',
        '/reviews/abc',
        `/reviews/${reviewId}/recommendations/9.9`,
        `/reviews/${reviewId}/recommendations/..%2F..%2Fetc`,
        `/reviews/${reviewId}/actions/999999`,
        `/reviews/${reviewId + 1}/actions/${overdueActionId}`,
        `/reviews/${reviewId}/findings/7.7`,
        '/no/such/page',
      ]) {
        const res = await (await t.admin()).get(url);
        assert.equal(res.statusCode, 404, url);
        assert.match(visibleText(res.body), /Page not found/, url);
      }
    });

    it('reports health with the database checked', async () => {
      const res = await (await t.admin()).get('/health');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', database: target.name });
    });

    it('serves the same plan as JSON', async () => {
      const res = await (await t.admin()).get(`/api/reviews/${reviewId}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.planDueDate, '2025-05-15');
      assert.deepEqual(body.exceptions.map((e: { kind: string }) => e.kind).sort(), [
        'concern_without_recommendation',
        // Its Blue action sets no day by which fresh evidence is due (issue 14).
        'no_reassurance_date',
        'overdue',
        'stale',
        'uncovered_organisation',
      ]);
      const action = await (await t.admin()).get(`/api/reviews/${reviewId}/actions/${blueActionId}`);
      assert.equal(action.json().rating.agreed, 'blue');
    });

    it("sends security headers that let only the layout's own inline script run, by its hash", async () => {
      const res = await (await t.admin()).get('/reviews');
      const csp = String(res.headers['content-security-policy']);
      assert.doesNotMatch(csp, /nonce-/, csp);
      const scripts = [...res.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
        (m) => m[1] ?? '',
      );
      assert.equal(scripts.length, 2, "the design system's and the layout's");
      for (const script of scripts) {
        const hash = createHash('sha256').update(script, 'utf8').digest('base64');
        assert.match(csp, new RegExp(`script-src 'self'[^;]* 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`), script);
      }
      assert.match(csp, /style-src 'self'$/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    });
  });
}

for (const target of databaseTargets) {
  describe(`a changed plan is shown at once on ${target.name}`, () => {
    let t: TestApp;
    after(async () => t.close());

    it('bumps the plan revision on every change and shows the new state, not a cached one', async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Revision Trust' });
      const reviewId = await createReview(db, { area: 'Revisionshire' });
      const revision = async () =>
        (await db.selectFrom('reviews').select('plan_revision').where('id', '=', reviewId).executeTakeFirstOrThrow())
          .plan_revision;
      const group = await createGroup(db, reviewId, 1, [trust]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '1.1', outcome: 'Done' });
      const actionId = await createAction(db, {
        reviewId,
        recommendationId: rec,
        dueDate: '2026-01-31',
        dateWords: 'Jan-26',
        createdOn: '2025-01-01',
      });

      const first = visibleText((await (await t.admin()).get(`/reviews/${reviewId}`)).body);
      assert.match(first, /Revision Trust is addressed by recommendation 1\.1 but has no action of its own/);
      assert.match(first, /Overdue \(1\)/);

      const before = await revision();
      await db.insertInto('action_organisations').values({ action_id: actionId, organisation_id: trust }).execute();
      assert.ok((await revision()) > before, 'linking an organisation to an action bumps the revision');
      await addRating(db, { reviewId, actionId, kind: 'agreed', rating: 'blue', on: '2026-02-01' });

      const second = visibleText((await (await t.admin()).get(`/reviews/${reviewId}`)).body);
      assert.doesNotMatch(second, /has no action of its own/);
      assert.doesNotMatch(second, /Overdue \(/);
      assert.match(second, /Rated Green or Blue without accepted evidence \(1\)/);
    });

    const changesSeenBefore =
      'shows changes on recommendation and action pages seen before, and renamed organisations everywhere';
    it(changesSeenBefore, async () => {
      const db = t.database.db;
      const reviewId = await createReview(db, { area: 'Renameshire' });
      const trust = await createOrganisation(db, { name: 'Old Name Trust' });
      const group = await createGroup(db, reviewId, 1, [trust]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '2.1' });
      const actionId = await createAction(db, { reviewId, recommendationId: rec, organisationIds: [trust] });
      const actionUrl = `/reviews/${reviewId}/actions/${actionId}`;
      const recUrl = `/reviews/${reviewId}/recommendations/2.1`;
      assert.match(visibleText((await (await t.admin()).get(actionUrl)).body), /No progress has been recorded/);
      assert.match(visibleText((await (await t.admin()).get(recUrl)).body), /Old Name Trust/);

      await addProgress(db, { reviewId, actionId, on: '2026-11-20', text: 'Audit booked for December.' });
      await db
        .updateTable('organisations')
        .set({ name: 'New Name Trust', short_name: 'New Name Trust' })
        .where('id', '=', trust)
        .execute();

      assert.match(
        visibleText((await (await t.admin()).get(actionUrl)).body),
        /20 November 2026 By Named nurse Audit booked for December\./,
      );
      const recText = visibleText((await (await t.admin()).get(recUrl)).body);
      assert.match(recText, /New Name Trust/);
      assert.doesNotMatch(recText, /Old Name Trust/);
    });

    it('sends a page kept in memory as it was kept, with the same security headers every time', async () => {
      const reviewId = await createReview(t.database.db, { area: 'Keptshire' });
      const first = await (await t.admin()).get(`/reviews/${reviewId}`);
      const second = await (await t.admin()).get(`/reviews/${reviewId}`);
      assert.equal(second.body, first.body);
      assert.doesNotMatch(first.body, /__clasp_|nonce=/);
      assert.equal(second.headers['content-security-policy'], first.headers['content-security-policy']);
    });
  });
}
