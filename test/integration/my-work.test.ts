import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { postPublicForm } from '../helpers/public-forms.ts';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/features/context.ts';
import type { Actor } from '../../src/domain/permissions.ts';
import { countMyWork } from '../../src/features/my-work/my-work.service.ts';
import { TEST_TODAY } from '../helpers/app.ts';
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
 * My work (issue 13, section 3): after signing in a person lands on what their roles ask of
 * them, across all their reviews, each item linking to the form that clears it; the JSON API
 * gives the same.
 */
for (const target of databaseTargets) {
  describe(`my work, on ${target.name}`, () => {
    let t: TestApp;
    let firstReview: number;
    let secondReview: number;
    let trust: number;
    let council: number;
    let nurse: Client;
    let nurseActor: Actor;
    let overdueAction: number;
    let coordinatorClient: Client;
    let reviewer: Client;
    let coordinator: Client;
    const PASSWORD = 'kestrel harbour lantern 5';

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Workshire Hospitals NHS Trust' });
      council = await createOrganisation(db, { name: 'Workshire Council', kind: 'local_authority' });
      firstReview = await createReview(db, { area: 'Workshire', coveredOrganisationIds: [trust, council] });
      secondReview = await createReview(db, { area: 'Otherton', coveredOrganisationIds: [trust] });
      const group = await createGroup(db, firstReview, 1, [trust, council]);
      const rec = await createRecommendation(db, { reviewId: firstReview, groupId: group, number: '1.1' });
      const overdue = await createAction(db, {
        reviewId: firstReview,
        recommendationId: rec,
        organisationIds: [trust],
        dueDate: '2026-10-31',
        createdOn: '2026-10-01',
      });
      await createAction(db, {
        reviewId: firstReview,
        recommendationId: rec,
        organisationIds: [trust],
        dueDate: '2026-12-10',
        createdOn: '2026-11-01',
      });
      const councilAction = await createAction(db, {
        reviewId: firstReview,
        recommendationId: rec,
        organisationIds: [council],
        dueDate: '2027-06-30',
        createdOn: '2026-11-01',
      });
      await addNoteEvidence(db, {
        reviewId: firstReview,
        actionId: councilAction,
        title: 'Safeguarding policy',
        on: '2026-11-15',
        status: 'submitted',
      });
      await addRating(db, {
        reviewId: firstReview,
        actionId: overdue,
        kind: 'proposed',
        rating: 'green',
        on: '2026-11-20',
      });

      const otherGroup = await createGroup(db, secondReview, 1, [trust]);
      const otherRec = await createRecommendation(db, { reviewId: secondReview, groupId: otherGroup, number: '3.2' });
      await createAction(db, {
        reviewId: secondReview,
        recommendationId: otherRec,
        organisationIds: [trust],
        dueDate: '2026-11-30',
        createdOn: '2026-11-01',
      });

      // These plans predate organisations accepting what they are given (see my-work-meetings.test.ts):
      // no day they were given their actions, so nobody is asked to accept them.
      await db.updateTable('action_organisations').set({ assigned_at: null }).execute();

      const nurseId = await createUser(db, {
        email: 'nurse@workshire.example',
        name: 'Nell Nurse',
        password: PASSWORD,
      });
      await addMember(db, { userId: nurseId, reviewId: firstReview, organisationId: trust, role: 'editor' });
      await addMember(db, { userId: nurseId, reviewId: secondReview, organisationId: trust, role: 'editor' });
      nurse = new Client(t.app, await sessionFor(db, nurseId));
      nurseActor = {
        userId: nurseId,
        name: 'Nell Nurse',
        email: 'nurse@workshire.example',
        isAdmin: false,
        memberships: [
          { reviewId: firstReview, organisationId: trust, role: 'editor' },
          { reviewId: secondReview, organisationId: trust, role: 'editor' },
        ],
      };
      overdueAction = overdue;
      const reviewerId = await createUser(db, { name: 'Rhys Reviewer' });
      await addMember(db, { userId: reviewerId, reviewId: firstReview, organisationId: council, role: 'reviewer' });
      reviewer = new Client(t.app, await sessionFor(db, reviewerId));
      const coordinatorId = await createUser(db, { name: 'Cleo Coordinator' });
      await addMember(db, {
        userId: coordinatorId,
        reviewId: firstReview,
        organisationId: council,
        role: 'coordinator',
      });
      coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
      coordinatorClient = coordinator;
    });
    after(() => t.close());

    it('is where a person lands after signing in', async () => {
      const res = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'nurse@workshire.example',
        password: PASSWORD,
        next: '',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/my-work');
      assert.equal((await nurse.get('/')).headers.location, '/my-work');
    });

    it('gives an editor their organisations’ actions in all their reviews, with the form to use', async () => {
      const res = await nurse.get('/my-work');
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /My work/);
      assert.match(
        text,
        new RegExp(
          /Your organisations’ actions \(3\) Your organisations’ actions Review Item Why What to do /.source +
            /Workshire Action 1 of recommendation 1\.1 Due 31 October 2026 and not completed: 23 days overdue\. /
              .source +
            /Post a progress update: Action 1 of recommendation 1\.1, Workshire/.source,
        ),
      );
      assert.match(text, /Workshire Action 2 of recommendation 1\.1 Due 10 December 2026, in 17 days\./);
      assert.match(text, /Otherton Action 1 of recommendation 3\.2 Due 30 November 2026, in 7 days\./);
      assert.doesNotMatch(text, /Awaiting assurance|Chasing and deadlines/, 'only the sections of their roles');
      assert.ok(res.body.includes(`href="/reviews/${firstReview}/actions/`), 'each item links to its form');
      assert.match(
        res.body,
        /href="\/reviews\/\d+\/actions\/\d+\/progress\/new\?returnTo=\/my-work"/,
        'and back to My work once saved',
      );
    });

    it('gives an assurance reviewer the evidence and proposals waiting for them, oldest first', async () => {
      const text = visibleText((await reviewer.get('/my-work')).body);
      assert.match(
        text,
        new RegExp(
          /Awaiting assurance \(2\) Awaiting assurance Item Why What to do /.source +
            /Action 3 of recommendation 1\.1: “Safeguarding policy” Evidence added [^.]+, waiting for a decision\. /
              .source +
            /Accept or reject the evidence: Action 3 of recommendation 1\.1: “Safeguarding policy” /.source +
            /Action 1 of recommendation 1\.1 Proposed Green on 20 November 2026; /.source +
            /waiting for the group’s decision for 3 days\. Agree or challenge the rating/.source,
        ),
      );
    });

    it('gives a coordinator the organisations to chase, and the same as JSON', async () => {
      const text = visibleText((await coordinator.get('/my-work')).body);
      assert.match(
        text,
        new RegExp(
          /Chasing and deadlines \(2\) [^]*The action plan The action plan was due with CQC on 31 March 2025, /.source +
            /602 days ago, and is not recorded as sent\. Issue the plan[^]*/.source +
            /Workshire Hospitals NHS Trust 1 action overdue\. See what to chase/.source,
        ),
      );
      const api = await coordinator.getJson('/api/my-work');
      assert.equal(api.statusCode, 200);
      const body = api.json();
      const kinds = body.reviews.flatMap((r: { items: { kind: string }[] }) => r.items.map((i) => i.kind));
      assert.ok(kinds.includes('organisation_behind'));
      assert.ok(kinds.includes('rating_to_decide'), 'a coordinator can assure too');
      assert.equal(body.count, kinds.length);
    });

    it('gives a coordinator a chase list per organisation, to read, print or download as CSV', async () => {
      const page = visibleText((await coordinator.get(`/reviews/${firstReview}/chase-list`)).body);
      assert.match(page, /More Reviews \S+ Back to \S+ /, 'the chase list has breadcrumbs back to the review');
      assert.match(
        page,
        new RegExp(
          /Workshire Hospitals NHS Trust \(1\)[^]*Action 1 of recommendation 1\.1 Overdue /.source +
            /Due 31 October 2026 and not completed: 23 days overdue\./.source,
        ),
      );
      const csv = await coordinator.get(`/reviews/${firstReview}/chase-list/csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(
        String(csv.headers['content-disposition']),
        /attachment; filename="Chase list Workshire 2026-11-23\.csv"/,
      );
      assert.equal(
        csv.body,
        '\uFEFFOrganisation,Action,Why,Detail,Due date,Address\r\n' +
          'Workshire Hospitals NHS Trust,Action 1 of recommendation 1.1,Overdue,' +
          `Due 31 October 2026 and not completed: 23 days overdue.,2026-10-31,/reviews/${firstReview}/actions/` +
          (/\/actions\/(\d+)/.exec(csv.body)?.[1] ?? '?') +
          '\r\n',
      );
      assert.match(visibleText((await coordinator.get('/my-work')).body), /Chase list for Workshire \(CSV/);
      assert.equal((await reviewer.get(`/reviews/${firstReview}/chase-list`)).statusCode, 403);
      // The same list for a script.
      const json = await coordinator.getJson(`/api/reviews/${firstReview}/chase-list`);
      assert.equal(json.statusCode, 200);
      assert.deepEqual(json.json(), {
        review: { id: firstReview, area: 'Workshire' },
        asOf: '2026-11-23',
        lines: [
          {
            organisation: 'Workshire Hospitals NHS Trust',
            action: 'Action 1 of recommendation 1.1',
            why: 'overdue',
            detail: 'Due 31 October 2026 and not completed: 23 days overdue.',
            dueDate: '2026-10-31',
            href: `/reviews/${firstReview}/actions/${/\/actions\/(\d+)/.exec(csv.body)?.[1] ?? '?'}`,
          },
        ],
      });
      assert.equal((await reviewer.getJson(`/api/reviews/${firstReview}/chase-list`)).statusCode, 403);
    });

    it('counts a person’s items, in all their reviews or in one, and keeps up with changes', async () => {
      const db = t.database.db;
      const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' });
      const on = (today: string): AppContext => ({
        db,
        config,
        staleDays: 90,
        now: () => new Date(),
        today: () => today,
      });
      const ctx = on(TEST_TODAY);
      const page = (await nurse.getJson('/api/my-work')).json();
      assert.equal(await countMyWork(ctx, nurseActor), page.count);
      assert.equal(await countMyWork(ctx, nurseActor), 3, 'the same again, from the cache');
      assert.equal(await countMyWork(ctx, nurseActor, firstReview), 2);
      assert.equal(await countMyWork(ctx, nurseActor, secondReview), 1);
      assert.equal(await countMyWork(ctx, nurseActor, 999_999), 0, 'a review they have no role in');
      assert.equal(await countMyWork(ctx, { ...nurseActor, memberships: [] }), 0);

      // A new action due soon changes the plan's revision: the count follows at once.
      const group = await createGroup(db, secondReview, 2, [trust]);
      const rec = await createRecommendation(db, { reviewId: secondReview, groupId: group, number: '4.1' });
      const added = await createAction(db, {
        reviewId: secondReview,
        recommendationId: rec,
        organisationIds: [trust],
        dueDate: '2026-12-01',
      });
      await db.updateTable('action_organisations').set({ assigned_at: null }).where('action_id', '=', added).execute();
      assert.equal(await countMyWork(ctx, nurseActor, secondReview), 2);
      assert.equal(await countMyWork(ctx, nurseActor), 4);
      // So does the day: by 2 January 2027 both second-review actions are overdue, and more besides.
      assert.notEqual(await countMyWork(on('2027-01-02'), nurseActor), 4);
      assert.equal(await countMyWork(ctx, nurseActor), 4);
      await db
        .updateTable('actions')
        .set({ archived_at: '2026-11-23T10:00:00.000Z' })
        .where('id', '=', added)
        .execute();
      assert.equal(await countMyWork(ctx, nurseActor), 3);
    });

    it('gives an editor a revised due date the coordinator refused, linking to propose another', async () => {
      const api = `/api/reviews/${firstReview}/actions/${overdueAction}/due-date`;
      const proposed = await nurse.sendJson('POST', `${api}/proposals`, {
        dueDate: '2027-01-31',
        reason: 'The ward audit moved to January.',
      });
      assert.equal(proposed.statusCode, 201);
      const refused = await coordinatorClient.sendJson('POST', `${api}/decisions`, {
        decision: 'refuse',
        reason: 'The board needs the audit this year',
      });
      assert.equal(refused.statusCode, 201);
      const res = await nurse.get('/my-work');
      const text = visibleText(res.body);
      assert.match(
        text,
        /Workshire Action 1 of recommendation 1\.1 The revised due date of 31 January 2027 was refused on [^:]+: /,
      );
      assert.match(text, /The board needs the audit this year\. It is still due on 31 October 2026\./);
      assert.match(text, /Your organisations’ actions \(4\)/);
      assert.ok(
        res.body.includes(`href="/reviews/${firstReview}/actions/${overdueAction}/due-date?returnTo=/my-work"`),
        'linking to the revised date form and back',
      );
    });

    it('leaves out evidence withdrawn before it was decided', async () => {
      const db = t.database.db;
      const item = await db
        .selectFrom('evidence_items')
        .select(['id', 'review_id', 'action_id'])
        .where('title', '=', 'Safeguarding policy')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('withdrawals')
        .values({
          review_id: item.review_id,
          action_id: item.action_id,
          progress_update_id: null,
          evidence_item_id: item.id,
          rating_event_id: null,
          reason: 'Sent to the wrong action',
          user_id: null,
          actor_name: 'Council editor',
          created_at: '2026-11-23T10:00:00.000Z',
        })
        .execute();
      const text = visibleText((await reviewer.get('/my-work')).body);
      assert.doesNotMatch(text, /Safeguarding policy/);
      assert.match(text, /Awaiting assurance \(1\)/);
    });

    it('tells someone with no role what to do', async () => {
      const loner = new Client(t.app, await sessionFor(t.database.db, await createUser(t.database.db, {})));
      assert.match(visibleText((await loner.get('/my-work')).body), /You have no role in any review yet/);
    });
  });
}
