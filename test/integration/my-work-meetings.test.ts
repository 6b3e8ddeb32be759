import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import type { Db } from '../../src/platform/db/database.ts';

/*
 * My work from meetings, questions, lasting assurance and assignments (issue 14): each item
 * reaches the right people only, links to where it is cleared, and goes away once it is. The
 * rows are written as the meetings, questions and assignments features write them.
 */

interface Kinds {
  count: number;
  kinds: string[];
}

async function kindsOf(client: Client): Promise<Kinds> {
  const res = await client.getJson('/api/my-work');
  assert.equal(res.statusCode, 200);
  const body = res.json<{ count: number; reviews: { items: { kind: string; subject: string }[] }[] }>();
  return { count: body.count, kinds: body.reviews.flatMap((r) => r.items.map((i) => `${i.kind} ${i.subject}`)) };
}

/** Only the kinds of issue 14, in the order My work gives them. */
const NEW_KINDS = [
  'evidence_requested',
  'question_to_answer',
  'response_to_approve',
  'assignment_to_accept',
  'assignment_disputed',
  'assurance_lapsed',
];
async function newKinds(client: Client): Promise<string[]> {
  return (await kindsOf(client)).kinds.filter((k) => NEW_KINDS.includes(k.split(' ')[0] ?? ''));
}

for (const target of databaseTargets) {
  describe(`my work from meetings, questions, lasting assurance and assignments, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let trust: number;
    let council: number;
    let requested: number;
    let given: number;
    let lapsed: number;
    let requestId: number;
    let trustQuestion: number;
    let draftQuestion: number;
    let lead: Client;
    let trustEditor: Client;
    let councilEditor: Client;
    let coordinator: Client;
    let reviewer: Client;

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      trust = await createOrganisation(db, { name: 'Meetshire Hospitals NHS Trust' });
      council = await createOrganisation(db, { name: 'Meetshire Council', kind: 'local_authority' });
      reviewId = await createReview(db, { area: 'Meetshire', coveredOrganisationIds: [trust, council] });
      const group = await createGroup(db, reviewId, 1, [trust, council]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      const plain = { reviewId, recommendationId: rec, dueDate: '2027-06-30', createdOn: '2026-11-01' };
      requested = await createAction(db, { ...plain, organisationIds: [trust], position: 1 });
      given = await createAction(db, { ...plain, organisationIds: [council], position: 2 });
      lapsed = await createAction(db, { ...plain, organisationIds: [trust], position: 3 });

      const person = async (
        name: string,
        organisationId: number,
        role: 'editor' | 'coordinator' | 'viewer' | 'reviewer',
      ) => {
        const userId = await createUser(db, { name });
        await addMember(db, { userId, reviewId, organisationId, role });
        return { userId, client: new Client(t.app, await sessionFor(db, userId)) };
      };
      // The named lead views the plan; the trust's editor updates it.
      const leadPerson = await person('Nia Lead', trust, 'viewer');
      lead = leadPerson.client;
      trustEditor = (await person('Tom Editor', trust, 'editor')).client;
      councilEditor = (await person('Cara Editor', council, 'editor')).client;
      coordinator = (await person('Coral Coordinator', council, 'coordinator')).client;
      reviewer = (await person('Rob Reviewer', council, 'reviewer')).client;

      // The peer challenge group met on 18 November and asked the lead for more evidence.
      const { id: meetingId } = await db
        .insertInto('meetings')
        .values({
          review_id: reviewId,
          forum: 'peer_challenge',
          title: 'November group',
          starts_at: '2026-11-18T14:00',
          place: 'Room 2',
          created_by_user_id: null,
          created_at: '2026-11-01T10:00:00.000Z',
          updated_at: '2026-11-18T16:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      requestId = (
        await db
          .insertInto('meeting_requests')
          .values({
            review_id: reviewId,
            meeting_id: meetingId,
            action_id: requested,
            text: 'The ward audit for all wards, not one.',
            owner_user_id: leadPerson.userId,
            owner_name: 'Nia Lead',
            due_on: '2026-12-31',
            created_by_name: 'Coral Coordinator',
            created_at: '2026-11-18T15:00:00.000Z',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;

      // A question for the trust, and one the coordinators hold with a response drafted.
      const question = (organisationId: number | null, status: 'none' | 'draft') =>
        db
          .insertInto('questions')
          .values({
            review_id: reviewId,
            recommendation_id: rec,
            action_id: null,
            text: 'How will the trust know the audit is kept up?',
            asked_by: 'Cllr Ada Jones',
            forum: 'scrutiny_panel',
            meeting_id: null,
            asked_on: '2026-10-01',
            organisation_id: organisationId,
            recorded_by_user_id: null,
            recorded_by_name: 'Coral Coordinator',
            response_status: status,
            response_text: status === 'draft' ? 'The audit is repeated each quarter.' : '',
            response_at: status === 'draft' ? '2026-11-20T10:00:00.000Z' : null,
            created_at: '2026-10-01T10:00:00.000Z',
            updated_at: '2026-10-01T10:00:00.000Z',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      trustQuestion = (await question(trust, 'none')).id;
      draftQuestion = (await question(null, 'draft')).id;

      // The council was given its action on 2 November and has not answered; the trust's two
      // actions were written with no day given, so the trust is not asked to accept them.
      await db.updateTable('action_organisations').set({ assigned_at: null }).execute();
      await db
        .updateTable('action_organisations')
        .set({ assigned_at: '2026-11-02T09:00:00.000Z' })
        .where('action_id', '=', given)
        .execute();

      // Agreed complete in March; fresh evidence was due by 31 October and none came.
      await addRating(db, { reviewId, actionId: lapsed, kind: 'agreed', rating: 'blue', on: '2026-03-01' });
      await db
        .updateTable('actions')
        .set({
          reassurance_due_on: '2026-10-31',
          lead_user_id: leadPerson.userId,
          sustain_how: 'A re-audit in October.',
        })
        .where('id', '=', lapsed)
        .execute();
    });
    after(() => t.close());

    it('gives each item to the right people only', async () => {
      assert.deepEqual(await newKinds(lead), [
        'evidence_requested Action 1 of recommendation 1.1',
        'assurance_lapsed Action 3 of recommendation 1.1',
      ]);
      assert.deepEqual(await newKinds(trustEditor), [
        'assurance_lapsed Action 3 of recommendation 1.1',
        'question_to_answer Question about recommendation 1.1',
      ]);
      assert.deepEqual(await newKinds(councilEditor), ['assignment_to_accept Action 2 of recommendation 1.1']);
      assert.deepEqual(await newKinds(coordinator), ['response_to_approve Question about recommendation 1.1']);
      assert.deepEqual(await newKinds(reviewer), []);
    });

    it('shows a lead with no editing role their items, with the facts and a link to clear each', async () => {
      const res = await lead.get('/my-work');
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Your organisations’ actions \(2\)/);
      assert.ok(
        text.includes(
          'Action 1 of recommendation 1.1 The peer challenge group asked on 18 November 2026 for more evidence: ' +
            '“The ward audit for all wards, not one”. Due 31 December 2026, in 38 days. Add evidence',
        ),
        text,
      );
      assert.ok(
        text.includes(
          'Action 3 of recommendation 1.1 Agreed complete on 1 March 2026. Fresh evidence that it lasts was due by ' +
            '31 October 2026, 23 days ago, and none has been accepted: its assurance has lapsed. Add fresh evidence',
        ),
        text,
      );
      assert.ok(res.body.includes(`href="/reviews/${reviewId}/actions/${requested}/evidence/new"`));
      assert.equal((await kindsOf(lead)).count, 2, 'counted in the header');
      const questions = await trustEditor.get('/my-work');
      assert.ok(questions.body.includes(`href="/reviews/${reviewId}/questions/${trustQuestion}#response"`));
      assert.ok(
        visibleText(questions.body).includes(
          'Cllr Ada Jones (Scrutiny panel) asked on 1 October 2026: “How will the trust know the audit is kept up?”. ' +
            'No response has been drafted. Draft a response',
        ),
      );
      const accept = await councilEditor.get('/my-work');
      assert.ok(
        accept.body.includes(`href="/reviews/${reviewId}/actions/${given}/assignment?organisation=${council}"`),
      );
      const chasing = visibleText((await coordinator.get('/my-work')).body);
      assert.match(chasing, /A response was drafted on 20 November 2026 and waits for approval\. Approve the response/);
      assert.ok(
        visibleText(accept.body).includes(
          'Given to Meetshire Council on 2 November 2026. ' +
            'Accept it, or dispute it with the reason if it is not yours to do.',
        ),
      );
    });

    it('drops a request for evidence once evidence is added after it, and the page follows at once', async () => {
      const before = await kindsOf(lead);
      await db
        .insertInto('evidence_items')
        .values({
          review_id: reviewId,
          action_id: requested,
          kind: 'note',
          title: 'Audit of all wards',
          effective_on: '2026-11-22',
          blob_sha256: null,
          file_name: null,
          media_type: null,
          size: null,
          url: null,
          note: 'Every ward audited.',
          status: 'submitted',
          status_reason: null,
          status_by_name: null,
          status_at: null,
          added_by_user_id: null,
          added_by_name: 'Nia Lead',
          is_illustrative: 0,
          created_at: '2026-11-22T09:00:00.000Z',
        })
        .execute();
      const after = await kindsOf(lead);
      assert.equal(after.count, before.count - 1);
      assert.ok(!after.kinds.some((k) => k.startsWith('evidence_requested')));
      assert.doesNotMatch(
        visibleText((await lead.get('/my-work')).body),
        /asked on 18 November 2026 for more evidence/,
      );
    });

    it('drops a request once it is closed', async () => {
      const { id: again } = await db
        .insertInto('meeting_requests')
        .values({
          review_id: reviewId,
          meeting_id: (await db.selectFrom('meetings').select('id').executeTakeFirstOrThrow()).id,
          action_id: requested,
          text: 'Minutes of the safeguarding group.',
          owner_user_id: null,
          owner_name: 'The trust',
          due_on: '2026-11-20',
          created_by_name: 'Coral Coordinator',
          created_at: '2026-11-23T09:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.notEqual(again, requestId);
      const open = await kindsOf(trustEditor);
      assert.ok(
        open.kinds.includes('evidence_requested Action 1 of recommendation 1.1'),
        'with no owner, the editors of the action’s organisations',
      );
      assert.ok(!(await kindsOf(lead)).kinds.some((k) => k.startsWith('evidence_requested')));
      assert.match(visibleText((await trustEditor.get('/my-work')).body), /Due 20 November 2026: 3 days overdue\./);
      await db
        .updateTable('meeting_requests')
        .set({ status: 'closed', closed_at: '2026-11-23T10:00:00.000Z', closed_by_name: 'Coral Coordinator' })
        .where('id', '=', again)
        .execute();
      assert.ok(!(await kindsOf(trustEditor)).kinds.some((k) => k.startsWith('evidence_requested')));
    });

    it('moves a question to the coordinators once drafted, and drops it once published', async () => {
      await db
        .updateTable('questions')
        .set({ response_status: 'draft', response_text: 'Quarterly.', response_at: '2026-11-23T09:00:00.000Z' })
        .where('id', '=', trustQuestion)
        .execute();
      assert.ok(!(await newKinds(trustEditor)).some((k) => k.startsWith('question_to_answer')));
      assert.equal(
        (await newKinds(coordinator)).filter((k) => k.startsWith('response_to_approve')).length,
        2,
        'both drafts wait for approval',
      );
      await db
        .updateTable('questions')
        .set({ response_status: 'published', published_on: '2026-11-23' })
        .where('id', 'in', [trustQuestion, draftQuestion])
        .execute();
      assert.deepEqual(await newKinds(coordinator), []);
    });

    it('drops an assignment once accepted, and gives a dispute to the coordinators', async () => {
      const answer = (response: 'accepted' | 'disputed', reason: string, at: string) =>
        db
          .insertInto('assignment_responses')
          .values({
            review_id: reviewId,
            action_id: given,
            organisation_id: council,
            response,
            reason,
            user_id: null,
            actor_name: 'Cara Editor',
            created_at: at,
          })
          .execute();
      await answer('accepted', '', '2026-11-20T09:00:00.000Z');
      assert.deepEqual(await newKinds(councilEditor), []);
      assert.deepEqual(await newKinds(coordinator), []);
      // The latest answer counts.
      await answer('disputed', 'This action is for the ICB', '2026-11-22T09:00:00.000Z');
      assert.deepEqual(await newKinds(councilEditor), []);
      assert.deepEqual(await newKinds(coordinator), ['assignment_disputed Action 2 of recommendation 1.1']);
      const text = visibleText((await coordinator.get('/my-work')).body);
      assert.match(
        text,
        /Meetshire Council disputed it on 22 November 2026: This action is for the ICB\. Settle who does the action/,
      );
    });

    it('drops lapsed assurance once fresh evidence is accepted', async () => {
      await db
        .insertInto('evidence_items')
        .values({
          review_id: reviewId,
          action_id: lapsed,
          kind: 'note',
          title: 'October re-audit',
          effective_on: '2026-10-20',
          blob_sha256: null,
          file_name: null,
          media_type: null,
          size: null,
          url: null,
          note: 'Re-audit: 97% compliance.',
          status: 'accepted',
          status_reason: null,
          status_by_name: 'Peer challenge group',
          status_at: '2026-11-23T09:00:00.000Z',
          added_by_user_id: null,
          added_by_name: 'Nia Lead',
          is_illustrative: 0,
          created_at: '2026-11-21T09:00:00.000Z',
        })
        .execute();
      assert.deepEqual(await newKinds(lead), []);
      assert.deepEqual(await newKinds(trustEditor), []);
    });
  });
}
