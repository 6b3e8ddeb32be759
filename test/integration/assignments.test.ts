import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIRMATION_COOKIE } from '../../src/platform/http/confirmations.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { addMember, createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { createGroup, createOrganisation, createRecommendation, createReview } from '../helpers/factories.ts';

/*
 * Organisations accept what is asked of them (issue 14, section 4). An organisation given an
 * action (by the coordinator or an import) accepts it or disputes it with a reason; the latest
 * answer counts and every answer is kept. Disputes, and assignments unanswered for longer than
 * the review's number of days (14 unless set), need chasing by the coordinator. Today is
 * 23 November 2026 (TEST_TODAY); the clock that stamps assignments is set by each test.
 */
for (const target of databaseTargets) {
  describe(`accepting and disputing assignments, on ${target.name}`, () => {
    let t: TestApp;
    let clock = new Date('2026-11-01T10:00:00.000Z');
    let reviewId: number;
    let trust: number;
    let council: number;
    let editor: Client;
    let councilEditor: Client;
    let bothEditor: Client;
    let viewer: Client;
    let coordinator: Client;
    const db = () => t.database.db;
    const base = () => `/reviews/${reviewId}`;
    const text = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url} ${res.body.slice(0, 2000)}`);
      return visibleText(res.body);
    };
    const actionForm = (organisationIds: number[], fields: Record<string, string> = {}) => ({
      agencyText: '',
      organisationIds: organisationIds.map(String),
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
    const addAction = async (organisationIds: number[]) => {
      const res = await coordinator.postForm(`${base()}/recommendations/1.1/actions/new`, actionForm(organisationIds));
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      return Number(/actions\/(\d+)\/edit/.exec(res.headers.location ?? '')?.[1]);
    };
    const assignedAt = async (actionId: number) =>
      Object.fromEntries(
        (
          await db()
            .selectFrom('action_organisations')
            .select(['organisation_id', 'assigned_at'])
            .where('action_id', '=', actionId)
            .execute()
        ).map((r) => [r.organisation_id, r.assigned_at]),
      );
    const exceptionsOf = async (actionId: number, kind: string) =>
      (
        (await coordinator.getJson(`/api/reviews/${reviewId}?kind=${kind}`)).json().exceptions as {
          subject: { id: string };
          reason: string;
          organisationIds: string[];
        }[]
      ).filter((e) => e.subject.id === String(actionId));
    const answer = (client: Client, actionId: number, fields: Record<string, string>) =>
      client.postForm(`${base()}/actions/${actionId}/assignment`, fields);

    before(async () => {
      t = await startTestApp(target, { now: () => clock });
      trust = await createOrganisation(db(), { name: 'Testshire Hospitals NHS Foundation Trust' });
      council = await createOrganisation(db(), { name: 'Testshire County Council' });
      reviewId = await createReview(db(), {
        area: 'Assignshire',
        leadOrganisationId: council,
        coveredOrganisationIds: [trust, council],
      });
      const group = await createGroup(db(), reviewId, 1, [trust, council]);
      await createRecommendation(db(), { reviewId, groupId: group, number: '1.1' });
      editor = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: trust, role: 'editor', name: 'Erin Editor' }),
      );
      councilEditor = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: council, role: 'editor', name: 'Colin Council' }),
      );
      const both = await createUser(db(), { name: 'Bo Both' });
      await addMember(db(), { userId: both, reviewId, organisationId: trust, role: 'editor' });
      await addMember(db(), { userId: both, reviewId, organisationId: council, role: 'editor' });
      bothEditor = new Client(t.app, await sessionFor(db(), both));
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

    it('stamps when each organisation is given the action, and keeps the day for those that stay', async () => {
      clock = new Date('2026-11-01T10:00:00.000Z');
      const actionId = await addAction([trust]);
      assert.deepEqual(await assignedAt(actionId), { [trust]: '2026-11-01T10:00:00.000Z' });

      clock = new Date('2026-11-20T09:00:00.000Z');
      const version = (
        await db().selectFrom('actions').select('version').where('id', '=', actionId).executeTakeFirstOrThrow()
      ).version;
      const saved = await coordinator.postForm(
        `${base()}/actions/${actionId}/edit`,
        actionForm([trust, council], { version: String(version) }),
      );
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
      assert.deepEqual(await assignedAt(actionId), {
        [trust]: '2026-11-01T10:00:00.000Z',
        [council]: '2026-11-20T09:00:00.000Z',
      });

      // 22 days unanswered for the trust (more than 14); 3 for the council.
      const unaccepted = await exceptionsOf(actionId, 'assignment_unaccepted');
      assert.deepEqual(
        unaccepted.map((e) => [e.reason, e.organisationIds]),
        [
          [
            'Assigned to Testshire Hospitals NHS Foundation Trust on 1 November 2026 and not yet accepted or ' +
              'disputed (22 days; the limit is 14).',
            [String(trust)],
          ],
        ],
      );
      const page = await text(viewer, `${base()}/actions/${actionId}`);
      assert.ok(
        page.includes(
          'Organisations given this action Testshire County Council Not yet answered Given the action on ' +
            '20 November 2026 at 9am. Testshire Hospitals NHS Foundation Trust Not yet answered Given the action ' +
            'on 1 November 2026 at 10am.',
        ),
        page,
      );
    });

    it('offers each editor Accept and Dispute for their own organisation only', async () => {
      clock = new Date('2026-11-01T10:00:00.000Z');
      const actionId = await addAction([trust, council]);
      const url = `${base()}/actions/${actionId}`;
      const mine = (await editor.get(url)).body;
      assert.match(visibleText(mine), /Accept this action for Testshire Hospitals NHS Foundation Trust/);
      assert.doesNotMatch(visibleText(mine), /Accept this action for Testshire County Council/);
      assert.match(mine, new RegExp(`assignment\\?organisation=${trust}&amp;response=disputed`));
      assert.match(visibleText((await councilEditor.get(url)).body), /Accept this action for Testshire County Council/);
      for (const client of [viewer, coordinator]) {
        assert.doesNotMatch(visibleText((await client.get(url)).body), /Accept this action|Dispute it/);
      }
    });

    it('records an acceptance, audited, and the exception goes away', async () => {
      clock = new Date('2026-11-01T10:00:00.000Z');
      const actionId = await addAction([trust]);
      assert.equal((await exceptionsOf(actionId, 'assignment_unaccepted')).length, 1);

      clock = new Date('2026-11-23T11:30:00.000Z');
      const res = await answer(editor, actionId, { organisationId: String(trust), response: 'accepted' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${base()}/actions/${actionId}#assignments`);
      // Followed as a browser would, with the confirmation cookie the answer set.
      const cookie = res.cookies.find((c) => c.name === CONFIRMATION_COOKIE);
      const next = await editor.get(`${base()}/actions/${actionId}`, {
        cookie: [editor.headers.cookie, cookie ? `${CONFIRMATION_COOKIE}=${cookie.value}` : '']
          .filter(Boolean)
          .join('; '),
      });
      const page = visibleText(next.body);
      assert.match(page, /Testshire Hospitals NHS Foundation Trust accepts this action/);
      assert.match(
        page,
        /Testshire Hospitals NHS Foundation Trust Accepted Accepted by Erin Editor on 23 November 2026 at 11:30am\./,
      );
      assert.equal((await exceptionsOf(actionId, 'assignment_unaccepted')).length, 0);

      const audit = await db()
        .selectFrom('audit_events')
        .select(['action', 'organisation_id', 'after'])
        .where('entity_type', '=', 'assignment')
        .where('action_id', '=', actionId)
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.action, a.organisation_id]),
        [['accepted', trust]],
      );
    });

    it('records a dispute with its reason, chased at once; a later answer replaces it, both kept', async () => {
      clock = new Date('2026-11-22T10:00:00.000Z');
      const actionId = await addAction([trust, council]);
      const noReason = await answer(councilEditor, actionId, { response: 'disputed', reason: ' ' });
      assert.equal(noReason.statusCode, 400);
      assert.match(visibleText(noReason.body), /Enter why your organisation disputes the action/);

      // One organisation of theirs on the action: it need not be named.
      const disputed = await answer(councilEditor, actionId, {
        response: 'disputed',
        reason: 'This action is for the trust',
      });
      assert.equal(disputed.statusCode, 303);
      const found = await exceptionsOf(actionId, 'assignment_disputed');
      assert.equal(found.length, 1);
      assert.match(
        found[0]?.reason ?? '',
        new RegExp(
          '^Testshire County Council disputes the action \\(Colin Council, 22 November 2026\\): ' +
            'This action is for the trust\\.$',
        ),
      );
      assert.deepEqual(found[0]?.organisationIds, [String(council)]);
      const overview = await text(coordinator, `${base()}?kind=assignment_disputed`);
      assert.match(overview, /Assignments disputed by an organisation \(1\)/);
      const page = await text(viewer, `${base()}/actions/${actionId}`);
      assert.match(
        page,
        new RegExp(
          'Testshire County Council Disputed Disputed by Colin Council on 22 November 2026 at 10am\\. ' +
            'Reason: This action is for the trust',
        ),
      );

      const accepted = await answer(councilEditor, actionId, { response: 'accepted' });
      assert.equal(accepted.statusCode, 303);
      assert.equal((await exceptionsOf(actionId, 'assignment_disputed')).length, 0);
      const rows = await db()
        .selectFrom('assignment_responses')
        .select(['response', 'reason'])
        .where('action_id', '=', actionId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.response),
        ['disputed', 'accepted'],
      );
      // Append-only: the database refuses to change an answer.
      await assert.rejects(
        db().updateTable('assignment_responses').set({ reason: 'changed' }).where('action_id', '=', actionId).execute(),
      );
    });

    it('answers only for one’s own organisation, and refuses others plainly', async () => {
      clock = new Date('2026-11-22T10:00:00.000Z');
      const actionId = await addAction([trust, council]);
      const forOther = await answer(editor, actionId, { organisationId: String(council), response: 'accepted' });
      assert.equal(forOther.statusCode, 400);
      assert.match(
        visibleText(forOther.body),
        new RegExp(
          'Only an editor of Testshire County Council can accept or dispute the action for it\\. ' +
            'You answer for Testshire Hospitals NHS Foundation Trust',
        ),
      );
      const noChoice = await answer(bothEditor, actionId, { response: 'accepted' });
      assert.equal(noChoice.statusCode, 400);
      assert.match(visibleText(noChoice.body), /Choose the organisation you answer for/);
      assert.equal(
        (await answer(bothEditor, actionId, { organisationId: String(council), response: 'accepted' })).statusCode,
        303,
      );
      const byCoordinator = await answer(coordinator, actionId, {
        organisationId: String(trust),
        response: 'accepted',
      });
      assert.equal(byCoordinator.statusCode, 400);
      assert.match(visibleText(byCoordinator.body), /You do not edit for any of them/);
      assert.equal((await answer(viewer, actionId, { response: 'accepted' })).statusCode, 403);

      const trustOnly = await addAction([trust]);
      assert.equal((await answer(councilEditor, trustOnly, { response: 'accepted' })).statusCode, 403);
      assert.equal((await councilEditor.get(`${base()}/actions/${trustOnly}/assignment`)).statusCode, 403);
      assert.equal((await editor.get(`${base()}/actions/${trustOnly}/assignment`)).statusCode, 200);

      const archived = await addAction([trust]);
      await coordinator.postForm(`${base()}/actions/${archived}/archive`, {});
      assert.equal((await answer(editor, archived, { response: 'accepted' })).statusCode, 403);
    });

    it('offers the dispute page with the reason box, and the same answer as JSON', async () => {
      clock = new Date('2026-11-22T10:00:00.000Z');
      const actionId = await addAction([trust]);
      const page = await text(
        editor,
        `${base()}/actions/${actionId}/assignment?organisation=${trust}&response=disputed`,
      );
      assert.match(page, /Accept or dispute action \d+ of recommendation 1\.1/);
      assert.match(page, /Reason Needed when you dispute it/);

      const url = `/api/reviews/${reviewId}/actions/${actionId}/assignment`;
      const bad = await editor.sendJson('POST', url, { response: 'disputed' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
        ['reason'],
      );
      const res = await editor.sendJson('POST', url, { response: 'disputed', reason: 'For the council' });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.equal(body.answer.organisationId, trust);
      assert.equal(body.answer.response, 'disputed');
      assert.deepEqual(
        body.assignments.map((a: { organisationId: number; answer: { response: string } | null }) => [
          a.organisationId,
          a.answer?.response,
        ]),
        [[trust, 'disputed']],
      );
      const read = (await viewer.getJson(`/api/reviews/${reviewId}/actions/${actionId}`)).json();
      assert.equal(read.assignments[0].answer.reason, 'For the council');
      assert.equal((await viewer.sendJson('POST', url, { response: 'accepted' })).statusCode, 403);
    });

    it('lets the coordinator set the days an assignment may wait, on the review details', async () => {
      clock = new Date('2026-11-01T10:00:00.000Z');
      const actionId = await addAction([trust]);
      assert.equal((await exceptionsOf(actionId, 'assignment_unaccepted')).length, 1);
      const review = await db().selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
      const reviewForm = (assignmentDays: string) => ({
        title: review.title,
        area: review.area,
        'reviewStart-day': '13',
        'reviewStart-month': '1',
        'reviewStart-year': '2025',
        'reviewEnd-day': '17',
        'reviewEnd-month': '1',
        'reviewEnd-year': '2025',
        'reportPublished-day': '3',
        'reportPublished-month': '3',
        'reportPublished-year': '2025',
        'reportReceived-day': '3',
        'reportReceived-month': '3',
        'reportReceived-year': '2025',
        leadOrganisationId: String(council),
        organisationIds: [String(trust), String(council)],
        ratingScale: 'BRAG',
        assignmentDays,
        version: String(review.version),
      });
      const form = await text(coordinator, `${base()}/edit`);
      assert.match(form, /Leave blank for 14 days/);
      const wrong = await coordinator.postForm(`${base()}/edit`, reviewForm('two weeks'));
      assert.equal(wrong.statusCode, 400);
      assert.match(
        visibleText(wrong.body),
        /Enter the days an assignment may go unanswered as a whole number from 1 to 365/,
      );
      assert.equal((await editor.postForm(`${base()}/edit`, reviewForm('30'))).statusCode, 403);

      const saved = await coordinator.postForm(`${base()}/edit`, reviewForm('30'));
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
      const row = await db()
        .selectFrom('reviews')
        .select('assignment_days')
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow();
      assert.equal(row.assignment_days, 30);
      assert.equal((await exceptionsOf(actionId, 'assignment_unaccepted')).length, 0);
      const audit = await db()
        .selectFrom('audit_events')
        .select('after')
        .where('entity_type', '=', 'review')
        .where('review_id', '=', reviewId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(audit.after ?? '{}') as { assignmentDays?: number }).assignmentDays, 30);
    });
  });
}
