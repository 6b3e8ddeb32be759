import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  addNoteEvidence,
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Assurance that lasts after completion (issue 14, section 3). A completed action says how its
 * effect will be shown to last and by when fresh accepted evidence is due; when that day passes
 * without it, the assurance has lapsed: an exception, a count beside the ratings, and words on
 * the action page. Completed actions with no such day are a gap for the coordinator. Today is
 * 23 November 2026 (TEST_TODAY).
 */
for (const target of databaseTargets) {
  describe(`lasting assurance, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let trust: number;
    let council: number;
    let recommendationId: number;
    let editor: Client;
    let councilEditor: Client;
    let viewer: Client;
    let coordinator: Client;
    const db = () => t.database.db;
    const base = () => `/reviews/${reviewId}`;
    const text = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url} ${res.body.slice(0, 2000)}`);
      return visibleText(res.body);
    };
    const actionForm = (fields: Record<string, string | string[]>) => ({
      agencyText: '',
      organisationIds: [String(trust)],
      actionText: 'Audit the records every quarter and report to the safeguarding group.',
      leadText: 'Named nurse',
      dateWords: '31 March 2027',
      'dueDate-day': '31',
      'dueDate-month': '3',
      'dueDate-year': '2027',
      measure: 'Quarterly audit shows 95% compliance.',
      assurance: '',
      ...fields,
    });
    const versionOf = async (actionId: number) =>
      String(
        (await db().selectFrom('actions').select('version').where('id', '=', actionId).executeTakeFirstOrThrow())
          .version,
      );
    /** Agreed Blue on 10 January 2026 with evidence accepted then. */
    const completedAction = async (reassuranceDueOn: string | null, sustainHow = '') => {
      const id = await createAction(db(), { reviewId, recommendationId, organisationIds: [trust] });
      await addNoteEvidence(db(), { reviewId, actionId: id, title: 'Completion audit', on: '2026-01-05' });
      await addRating(db(), { reviewId, actionId: id, kind: 'agreed', rating: 'blue', on: '2026-01-10' });
      await db()
        .updateTable('actions')
        .set({ reassurance_due_on: reassuranceDueOn, sustain_how: sustainHow })
        .where('id', '=', id)
        .execute();
      return id;
    };

    before(async () => {
      t = await startTestApp(target);
      trust = await createOrganisation(db(), { name: 'Testshire Hospitals NHS Foundation Trust' });
      council = await createOrganisation(db(), { name: 'Testshire County Council' });
      reviewId = await createReview(db(), { area: 'Lastshire', coveredOrganisationIds: [trust, council] });
      const group = await createGroup(db(), reviewId, 1, [trust]);
      recommendationId = await createRecommendation(db(), { reviewId, groupId: group, number: '1.1' });
      editor = new Client(t.app, await signedInMember(db(), { reviewId, organisationId: trust, role: 'editor' }));
      councilEditor = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: council, role: 'editor' }),
      );
      viewer = new Client(t.app, await signedInMember(db(), { reviewId, organisationId: council, role: 'viewer' }));
      coordinator = new Client(
        t.app,
        await signedInMember(db(), {
          reviewId,
          organisationId: council,
          role: 'coordinator',
          name: 'Cora Coordinator',
        }),
      );
    });
    after(() => t.close());

    it('lets editors of the action and coordinators say how the effect will last and by when, audited', async () => {
      const actionId = await completedAction(null);
      const edit = `${base()}/actions/${actionId}/edit`;
      const form = await editor.get(edit);
      assert.match(visibleText(form.body), /How the effect will be shown to last \(optional\)/);
      assert.match(visibleText(form.body), /Fresh evidence due by \(optional\)/);

      const wrong = await editor.postForm(
        edit,
        actionForm({
          version: await versionOf(actionId),
          'reassuranceDueOn-day': '31',
          'reassuranceDueOn-month': '2',
          'reassuranceDueOn-year': '2027',
        }),
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(visibleText(wrong.body), /The date fresh evidence is due must be a real date/);
      assert.match(wrong.body, /href="#reassuranceDueOn-day"/);

      const saved = await editor.postForm(
        edit,
        actionForm({
          version: await versionOf(actionId),
          sustainHow: 'Re-audit of triage records every six months',
          'reassuranceDueOn-day': '31',
          'reassuranceDueOn-month': '5',
          'reassuranceDueOn-year': '2027',
        }),
      );
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
      const page = await text(viewer, `${base()}/actions/${actionId}`);
      assert.match(page, /How the effect will be shown to last Re-audit of triage records every six months/);
      assert.match(page, /Fresh evidence due by 31 May 2027/);
      assert.match(page, /Complete: fresh evidence due\. Fresh evidence due by 31 May 2027\./);

      const audit = await db()
        .selectFrom('audit_events')
        .select(['action', 'before', 'after'])
        .where('entity_type', '=', 'action')
        .where('action_id', '=', actionId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const afterJson = JSON.parse(audit.after ?? '{}') as Record<string, unknown>;
      assert.equal(afterJson.reassuranceDueOn, '2027-05-31');
      assert.equal(afterJson.sustainHow, 'Re-audit of triage records every six months');

      // Another organisation's editor and a viewer cannot change it.
      assert.equal((await councilEditor.get(edit)).statusCode, 403);
      assert.equal((await viewer.postForm(edit, actionForm({ version: await versionOf(actionId) }))).statusCode, 403);
    });

    it('offers the same fields as JSON, with the same checks', async () => {
      const actionId = await completedAction(null);
      const url = `/api/reviews/${reviewId}/actions/${actionId}`;
      const body = {
        organisationIds: [trust],
        actionText: 'Audit the records every quarter.',
        leadText: 'Named nurse',
        dueDate: '2027-03-31',
        measure: 'Quarterly audit shows 95% compliance.',
        sustainHow: 'Measure: re-referral rate each quarter',
        reassuranceDueOn: '2027-06-30',
        version: Number(await versionOf(actionId)),
      };
      const bad = await coordinator.sendJson('PUT', url, { ...body, reassuranceDueOn: '30/06/2027' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
        ['reassuranceDueOn'],
      );
      const res = await coordinator.sendJson('PUT', url, body);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().action.reassuranceDueOn, '2027-06-30');
      assert.equal(res.json().action.sustainHow, 'Measure: re-referral rate each quarter');
      const read = (await viewer.getJson(url)).json();
      assert.equal(read.action.reassurance_due_on, '2027-06-30');
      assert.equal(read.action.sustain_how, 'Measure: re-referral rate each quarter');
      assert.equal(read.lastingAssurance, 'due');
    });

    it('shows a lapse as an exception, a count and words on the page, until fresh evidence is accepted', async () => {
      const actionId = await completedAction('2026-10-31', 'Re-audit of referrals in October');
      const lapsedReason =
        'Agreed Blue on 10 January 2026; fresh accepted evidence was due by 31 October 2026 and none has been ' +
        'accepted (23 days ago). How its effect is to be shown to last: Re-audit of referrals in October.';

      const overview = await text(coordinator, base());
      assert.match(overview, /Assurance lapsed after completion: 1/);
      assert.match(overview, /1 completed action with assurance lapsed/);
      assert.ok(overview.includes(lapsedReason), overview);
      const recommendation = await text(viewer, `${base()}/recommendations/1.1`);
      assert.match(recommendation, /1 with assurance lapsed/);
      const action = await text(viewer, `${base()}/actions/${actionId}`);
      assert.match(
        action,
        /Assurance lapsed Assurance lapsed on 1 November 2026: fresh accepted evidence was due by 31 October 2026\./,
      );
      assert.match(action, /How the effect is to be shown to last: Re-audit of referrals in October/);
      assert.ok(action.includes(lapsedReason));

      const json = (await coordinator.getJson(`/api/reviews/${reviewId}`)).json();
      assert.equal(json.ratings.plan.actions.lapsed, 1);
      assert.equal(json.ratings.byRecommendation[String(recommendationId)].lapsed, 1);
      // The rating itself is unchanged: the action still counts as Blue.
      assert.ok(json.ratings.plan.actions.blue >= 1);
      assert.deepEqual(
        json.exceptions
          .filter((e: { kind: string }) => e.kind === 'assurance_lapsed')
          .map((e: { subject: { id: string } }) => e.subject.id),
        [String(actionId)],
      );

      // Fresh evidence, accepted, dated after completion and within the window: the assurance holds again.
      await addNoteEvidence(db(), { reviewId, actionId, title: 'October re-audit', on: '2026-11-20' });
      const later = await text(coordinator, base());
      assert.doesNotMatch(later, /Assurance lapsed after completion/);
      assert.doesNotMatch(later, /with assurance lapsed/);
      assert.match(await text(viewer, `${base()}/actions/${actionId}`), /Complete: assurance held\./);
      assert.equal((await coordinator.getJson(`/api/reviews/${reviewId}`)).json().ratings.plan.actions.lapsed, 0);
    });

    it('lists completed actions with no day for fresh evidence as a gap, until one is set', async () => {
      const actionId = await completedAction(null);
      const overview = await text(coordinator, `${base()}?kind=no_reassurance_date`);
      assert.match(overview, /Gaps in the plan \(\d+\) Completed with no date for fresh evidence/);
      assert.ok(
        overview.includes(
          'Agreed Blue on 10 January 2026, with no date set by which fresh evidence is due. ' +
            'The plan does not say how its effect will be shown to last.',
        ),
      );
      const count = (await coordinator.getJson(`/api/reviews/${reviewId}?kind=no_reassurance_date`)).json().exceptions
        .length as number;
      const res = await coordinator.postForm(
        `${base()}/actions/${actionId}/edit`,
        actionForm({
          version: await versionOf(actionId),
          'reassuranceDueOn-day': '1',
          'reassuranceDueOn-month': '12',
          'reassuranceDueOn-year': '2027',
        }),
      );
      assert.equal(res.statusCode, 303);
      const after = (await coordinator.getJson(`/api/reviews/${reviewId}?kind=no_reassurance_date`)).json();
      assert.equal(after.exceptions.length, count - 1);
      assert.ok(!after.exceptions.some((e: { subject: { id: string } }) => e.subject.id === String(actionId)));
    });

    it('a proposed completion, not yet agreed, asks for nothing', async () => {
      const actionId = await createAction(db(), { reviewId, recommendationId, organisationIds: [trust] });
      await addRating(db(), { reviewId, actionId, kind: 'proposed', rating: 'blue', on: '2026-11-01' });
      const json = (await coordinator.getJson(`/api/reviews/${reviewId}/actions/${actionId}`)).json();
      assert.equal(json.lastingAssurance, 'not_complete');
      assert.ok(
        !json.exceptions.some((e: { kind: string }) => ['no_reassurance_date', 'assurance_lapsed'].includes(e.kind)),
      );
    });

    it('says which meeting agreed each rating, and shows published questions about the action', async () => {
      const actionId = await createAction(db(), { reviewId, recommendationId, organisationIds: [trust] });
      const now = '2026-11-01T10:00:00.000Z';
      const { id: meetingId } = await db()
        .insertInto('meetings')
        .values({
          review_id: reviewId,
          forum: 'peer_challenge',
          starts_at: '2017-01-12T14:00',
          title: 'Peer challenge group',
          place: 'Riverside House',
          created_by_user_id: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('rating_events')
        .values({
          review_id: reviewId,
          action_id: actionId,
          kind: 'agreed',
          rating: 'green',
          decided_on: '2017-01-12',
          user_id: null,
          actor_name: 'Peer challenge group',
          rationale: 'Audit seen.',
          override_reason: null,
          is_illustrative: 0,
          created_at: now,
          meeting_id: meetingId,
        })
        .execute();
      const question = (text: string, status: 'published' | 'draft', askedOn: string) => ({
        review_id: reviewId,
        action_id: actionId,
        text,
        asked_by: 'Councillor Jones',
        forum: 'scrutiny_panel' as const,
        asked_on: askedOn,
        recorded_by_name: 'Cora Coordinator',
        response_text: status === 'published' ? 'Re-audited in October: 96% complete.' : 'Draft words.',
        response_status: status,
        response_by_name: 'Named nurse',
        published_on: status === 'published' ? '2026-11-10' : null,
        created_at: now,
        updated_at: now,
      });
      await db()
        .insertInto('questions')
        .values([
          question('Are records still complete?', 'published', '2026-10-01'),
          question('Who checks the audit?', 'draft', '2026-10-01'),
        ])
        .execute();

      const page = await text(viewer, `${base()}/actions/${actionId}`);
      assert.match(page, /Agreed at the peer challenge group on 12 January 2017/);
      assert.match(
        page,
        new RegExp(
          'Questions about this action Record a question about this action asked by a board or a scrutiny ' +
            "panel, or see all the review's questions\\. Are records still complete\\? Asked by Councillor Jones " +
            '\\(Scrutiny panel\\) on 1 October 2026\\. Response from Named nurse, published 10 November 2026: ' +
            'Re-audited in October: 96% complete\\.',
        ),
      );
      assert.doesNotMatch(page, /Draft words/);
      // The draft is 53 days old: more than the 28 days a question may wait.
      assert.match(
        page,
        new RegExp(
          'Councillor Jones asked on 1 October 2026 \\(53 days; the limit is 28\\): “Who checks the audit\\?” ' +
            'A response is drafted and waits for the coordinator’s approval\\.',
        ),
      );
      const history = (await viewer.getJson(`/api/reviews/${reviewId}/actions/${actionId}`)).json();
      assert.equal(history.ratingHistory[0].meeting_id, meetingId);
      assert.deepEqual(
        history.questions.map((q: { text: string }) => q.text),
        ['Are records still complete?'],
      );
    });

    it('chases questions without a published response after the review’s days, and stops once published', async () => {
      const review = await createReview(db(), { area: 'Askshire', coveredOrganisationIds: [trust] });
      const group = await createGroup(db(), review, 1, [trust]);
      await createRecommendation(db(), { reviewId: review, groupId: group, number: '2.1' });
      const reviewCoordinator = new Client(
        t.app,
        await signedInMember(db(), { reviewId: review, organisationId: trust, role: 'coordinator' }),
      );
      const now = '2026-10-01T10:00:00.000Z';
      const { id: questionId } = await db()
        .insertInto('questions')
        .values({
          review_id: review,
          text: 'When will the plan be complete?',
          asked_by: 'Health and Wellbeing Board',
          forum: 'health_wellbeing_board',
          asked_on: '2026-10-20',
          recorded_by_name: 'Cora Coordinator',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const kinds = async () =>
        (await reviewCoordinator.getJson(`/api/reviews/${review}?kind=question_unanswered`)).json().exceptions as {
          subject: { type: string; id: string; label: string };
          reason: string;
        }[];
      // 34 days old, the default limit is 28.
      const found = await kinds();
      assert.equal(found.length, 1);
      const [only] = found;
      assert.ok(only);
      assert.deepEqual(only.subject, { type: 'review', id: String(review), label: 'The review' });
      assert.match(only.reason, /\(34 days; the limit is 28\)/);
      const overview = await text(reviewCoordinator, `/reviews/${review}`);
      assert.match(
        overview,
        /Questions without a published response \(1\) The review: Health and Wellbeing Board asked/,
      );

      // The review allows 40 days: not yet an exception.
      await db().updateTable('reviews').set({ question_days: 40 }).where('id', '=', review).execute();
      assert.equal((await kinds()).length, 0);
      await db().updateTable('reviews').set({ question_days: null }).where('id', '=', review).execute();
      assert.equal((await kinds()).length, 1);

      await db()
        .updateTable('questions')
        .set({ response_text: 'By March.', response_status: 'published', published_on: '2026-11-22' })
        .where('id', '=', questionId)
        .execute();
      assert.equal((await kinds()).length, 0);
    });
  });
}
