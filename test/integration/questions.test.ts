import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, TEST_TODAY, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Questions from boards and scrutiny, answered on the record (issue 14, section 2): any member
 * records a question; the organisation that answers drafts the response, which only it and the
 * coordinator see; the coordinator approves it, which publishes it, dated, to every reader; a
 * published response never changes; an unanswered question is overdue after the review's days.
 */

interface Asked {
  statusCode: number;
  questionId: number;
}

for (const target of databaseTargets) {
  describe(`questions from boards and scrutiny, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let trust: number;
    let recommendationId: number;
    let actionId: number;
    let meetingId: number;
    let otherReviewMeetingId: number;
    const people = {} as Record<
      'coordinator' | 'trustEditor' | 'councilEditor' | 'reviewer' | 'viewer' | 'admin' | 'outsider',
      Client
    >;
    const page = () => `/reviews/${reviewId}/questions`;
    const api = () => `/api/reviews/${reviewId}/questions`;
    const text = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url} ${res.body.slice(0, 2000)}`);
      return visibleText(res.body);
    };
    const askByApi = async (client: Client, body: Record<string, unknown>): Promise<Asked> => {
      const res = await client.sendJson('POST', api(), {
        about: 'review',
        text: 'When will the audit be repeated?',
        askedBy: 'Councillor Ann Example',
        forum: 'scrutiny_panel',
        askedOn: '2026-11-20',
        ...body,
      });
      const json = res.json<{ question?: { id: number } }>();
      return { statusCode: res.statusCode, questionId: json.question?.id ?? 0 };
    };
    const readQuestion = async (client: Client, questionId: number) => {
      const res = await client.getJson(`${api()}/${questionId}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{
        question: {
          status: string;
          version: number;
          answeredBy: string;
          organisationId: number | null;
          draft: { text: string } | null;
          hasDraft: boolean;
          response: { text: string; publishedOn: string; approvedBy: string } | null;
          overdue: boolean;
          canDraft: boolean;
          canApprove: boolean;
          meeting: string;
          about: { kind: string; label: string; href: string | null };
        };
      }>().question;
    };
    const auditOf = (questionId: number) =>
      t.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor', 'after'])
        .where('entity_type', '=', 'question')
        .where('entity_id', '=', String(questionId))
        .orderBy('id')
        .execute();

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const icb = await createOrganisation(db, { name: 'Testshire Integrated Care Board' });
      trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      const council = await createOrganisation(db, { name: 'Testshire County Council' });
      reviewId = await createReview(db, { area: 'Testshire', coveredOrganisationIds: [icb, trust, council] });
      const elsewhere = await createReview(db, { area: 'Elsewhere', leadOrganisationId: icb });
      const group = await createGroup(db, reviewId, 1, [trust, council]);
      recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust], position: 1 });
      const meeting = (review: number, forum: 'scrutiny_panel' | 'peer_challenge') =>
        db
          .insertInto('meetings')
          .values({
            review_id: review,
            forum,
            title: forum === 'scrutiny_panel' ? 'Health Select Commission' : '',
            starts_at: '2026-10-01T18:00',
            place: 'Town Hall',
            created_at: '2026-09-01T00:00:00.000Z',
            updated_at: '2026-09-01T00:00:00.000Z',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      meetingId = (await meeting(reviewId, 'scrutiny_panel')).id;
      otherReviewMeetingId = (await meeting(elsewhere, 'scrutiny_panel')).id;
      await meeting(reviewId, 'peer_challenge');
      const member = async (
        organisationId: number,
        role: 'coordinator' | 'editor' | 'reviewer' | 'viewer',
        name: string,
      ) => new Client(t.app, await signedInMember(db, { reviewId, organisationId, role, name }));
      people.coordinator = await member(icb, 'coordinator', 'Cora Coordinator');
      people.trustEditor = await member(trust, 'editor', 'Tess Trust');
      people.councilEditor = await member(council, 'editor', 'Colin Council');
      people.reviewer = await member(icb, 'reviewer', 'Rita Reviewer');
      people.viewer = await member(council, 'viewer', 'Vic Viewer');
      people.admin = await t.admin();
      people.outsider = new Client(
        t.app,
        await signedInMember(db, { reviewId: elsewhere, organisationId: icb, role: 'coordinator' }),
      );
    });
    after(() => t.close());

    it('lets any member record a question, and sends it to the right organisation', async () => {
      // A viewer, through the page: about the action, at a meeting chosen from the list.
      const form = await people.viewer.get(`${page()}/new?about=action:${actionId}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`<option value="action:${actionId}" selected>`));
      const asked = await people.viewer.postForm(`${page()}/new`, {
        about: `action:${actionId}`,
        text: 'How will the trust know the triage prompt is used?',
        askedBy: 'Councillor Ann Example',
        forum: 'scrutiny_panel',
        meetingId: String(meetingId),
        'askedOn-day': '1',
        'askedOn-month': '10',
        'askedOn-year': '2026',
      });
      assert.equal(asked.statusCode, 303, asked.body);
      const questionId = Number(/\/questions\/(\d+)$/.exec(String(asked.headers.location))?.[1]);
      const shown = await text(people.viewer, `${page()}/${questionId}`);
      assert.match(shown, /How will the trust know the triage prompt is used\?/);
      assert.match(shown, /About Action 1 of recommendation 1\.1/);
      assert.match(shown, /Asked by Councillor Ann Example/);
      assert.match(shown, /Forum Scrutiny panel/);
      assert.match(shown, /Meeting Health Select Commission, 1 October 2026/);
      assert.match(shown, /Asked on 1 October 2026/);
      // Unchosen, a question about an action goes to its first organisation.
      assert.match(shown, /Answered by Testshire Hospitals NHS Foundation Trust/);
      assert.match(shown, /Recorded by Vic Viewer/);
      // It links back to the action.
      const html = (await people.viewer.get(`${page()}/${questionId}`)).body;
      assert.match(
        html,
        new RegExp(`<a href="/reviews/${reviewId}/actions/${actionId}">Action 1 of recommendation 1.1</a>`),
      );
      const json = await readQuestion(people.viewer, questionId);
      assert.equal(json.about.href, `/reviews/${reviewId}/actions/${actionId}`);
      assert.equal(json.organisationId, trust);

      // A reviewer, through the API: about a recommendation, with the meeting typed; the coordinator answers.
      const viaApi = await askByApi(people.reviewer, {
        about: `recommendation:${recommendationId}`,
        forum: 'health_wellbeing_board',
        meetingWords: 'Health and Wellbeing Board, 12 November 2026',
      });
      assert.equal(viaApi.statusCode, 201);
      const recQuestion = await readQuestion(people.reviewer, viaApi.questionId);
      assert.equal(recQuestion.answeredBy, 'The plan coordinator');
      assert.equal(recQuestion.organisationId, null);
      assert.equal(recQuestion.about.label, 'Recommendation 1.1');
      assert.equal(recQuestion.meeting, 'Health and Wellbeing Board, 12 November 2026');

      // Editors and the coordinator may record one too; an organisation may be chosen.
      for (const client of [people.trustEditor, people.councilEditor, people.coordinator]) {
        assert.equal((await askByApi(client, { organisationId: trust })).statusCode, 201);
      }

      // Each is audited, by who recorded it.
      const audit = await auditOf(questionId);
      assert.deepEqual(
        audit.map((a) => [a.action, a.actor]),
        [['created', 'Vic Viewer']],
      );
      assert.match(String(audit[0]?.after), /triage prompt/);
    });

    it('refuses administrators without a role, and hides the questions from people outside the review', async () => {
      assert.equal((await people.admin.get(`${page()}/new`)).statusCode, 403);
      assert.equal((await askByApi(people.admin, {})).statusCode, 403);
      // Administrators read the plan, questions included.
      assert.equal((await people.admin.get(page())).statusCode, 200);
      assert.equal((await people.outsider.get(page())).statusCode, 404);
      assert.equal((await people.outsider.get(`${page()}.csv`)).statusCode, 404);
      assert.equal((await askByApi(people.outsider, {})).statusCode, 404);
      assert.equal((await t.anonymous.get(page())).statusCode, 303);
    });

    it('says what is wrong with a question and what to do', async () => {
      const res = await people.viewer.postForm(`${page()}/new`, {
        about: 'review',
        text: '  ',
        askedBy: 'A member of the panel',
        forum: 'scrutiny_panel',
        'askedOn-day': '24',
        'askedOn-month': '11',
        'askedOn-year': '2026',
      });
      assert.equal(res.statusCode, 400);
      const shown = visibleText(res.body);
      assert.match(shown, /Enter the question/);
      assert.match(shown, /The date the question was asked must be today or in the past/);
      // What was typed is kept.
      assert.match(res.body, /value="A member of the panel"/);

      const unknown = await people.viewer.sendJson('POST', api(), {
        about: 'review',
        text: 'Why?',
        askedBy: 'A councillor',
        forum: 'scrutiny_panel',
        meetingId: otherReviewMeetingId,
        askedOn: '2026-11-01',
      });
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(unknown.json().errors, [
        {
          field: 'meetingId',
          message: 'Choose a meeting of this review from the list, or type the name of the meeting instead',
        },
      ]);

      const wrongForum = await askByApi(people.viewer, { forum: 'peer_challenge', meetingId });
      assert.equal(wrongForum.statusCode, 400);
      const missing = await people.viewer.sendJson('POST', api(), { about: 'action:999999', askedOn: 'soon' });
      assert.equal(missing.statusCode, 400);
      assert.deepEqual(
        missing.json<{ errors: { field: string; message: string }[] }>().errors.map((e) => e.field),
        ['about', 'text', 'askedBy', 'forum', 'askedOn'],
      );
      const messages = missing.json<{ errors: { message: string }[] }>().errors.map((e) => e.message);
      assert.ok(messages.includes('Enter who asked the question'));
      assert.ok(messages.includes('Choose the forum the question was asked in'));
      assert.ok(messages.some((m) => m.startsWith('Choose what the question is about from the list')));
    });

    it('lets only the answering organisation and the coordinator draft, and hides the draft from others', async () => {
      const { questionId } = await askByApi(people.viewer, { about: `action:${actionId}` });
      const url = `${page()}/${questionId}`;
      const draft = 'The trust audits twenty records each month and reports to the safeguarding group.';

      for (const client of [people.councilEditor, people.viewer, people.reviewer, people.admin]) {
        const refused = await client.postForm(`${url}/response`, { response: draft, version: '1' });
        assert.equal(refused.statusCode, 403);
        const refusedApi = await client.sendJson('PUT', `${api()}/${questionId}/response`, {
          response: draft,
          version: 1,
        });
        assert.equal(refusedApi.statusCode, 403);
      }
      const empty = await people.trustEditor.postForm(`${url}/response`, { response: '', version: '1' });
      assert.equal(empty.statusCode, 400);
      assert.match(visibleText(empty.body), /Enter the response/);

      const saved = await people.trustEditor.postForm(`${url}/response`, { response: draft, version: '1' });
      assert.equal(saved.statusCode, 303);

      // The trust's editors and the coordinator see the draft; nobody else does.
      assert.match(await text(people.trustEditor, url), /The trust audits twenty records/);
      assert.match(await text(people.coordinator, url), /The trust audits twenty records/);
      for (const client of [people.viewer, people.councilEditor, people.reviewer, people.admin]) {
        const shown = await text(client, url);
        assert.doesNotMatch(shown, /twenty records/);
        assert.match(shown, /A response is drafted and waits for the plan coordinator's approval/);
        assert.doesNotMatch(await text(client, page()), /twenty records/);
        const json = await readQuestion(client, questionId);
        assert.equal(json.draft, null);
        assert.equal(json.hasDraft, true);
        assert.equal(json.canDraft, false);
        const list = await client.getJson(api());
        assert.doesNotMatch(list.body, /twenty records/);
      }
      assert.doesNotMatch((await people.coordinator.get(`${page()}.csv`)).body, /twenty records/);

      // The coordinator may draft too; saving again replaces the draft.
      const replaced = await people.coordinator.sendJson('PUT', `${api()}/${questionId}/response`, {
        response: 'The trust audits thirty records each month.',
        version: 2,
      });
      assert.equal(replaced.statusCode, 200, replaced.body);
      const after = await readQuestion(people.trustEditor, questionId);
      assert.equal(after.draft?.text, 'The trust audits thirty records each month.');
      assert.equal(after.version, 3);
      assert.equal(after.status, 'waiting');

      const audit = await auditOf(questionId);
      assert.deepEqual(
        audit.map((a) => [a.action, a.actor]),
        [
          ['created', 'Vic Viewer'],
          ['response drafted', 'Tess Trust'],
          ['response drafted', 'Cora Coordinator'],
        ],
      );
    });

    it('refuses a response saved on a stale version with 409, saying what changed', async () => {
      const { questionId } = await askByApi(people.viewer, { about: `action:${actionId}` });
      const url = `${page()}/${questionId}`;
      assert.equal(
        (await people.trustEditor.postForm(`${url}/response`, { response: 'First draft.', version: '1' })).statusCode,
        303,
      );
      const stale = await people.coordinator.postForm(`${url}/response`, { response: 'Other draft.', version: '1' });
      assert.equal(stale.statusCode, 409);
      const shown = visibleText(stale.body);
      assert.match(shown, /This question was changed by Tess Trust on .* after you opened it/);
      assert.match(shown, /Changes since you opened the form/);
      assert.match(shown, /First draft\./);
      // The form carries the version saved now, so a second save goes through.
      assert.match(stale.body, /name="version" value="2"/);

      const staleApi = await people.coordinator.sendJson('PUT', `${api()}/${questionId}/response`, {
        response: 'Other draft.',
        version: 1,
      });
      assert.equal(staleApi.statusCode, 409);
      assert.equal(staleApi.json<{ version: number }>().version, 2);

      const noVersion = await people.coordinator.sendJson('PUT', `${api()}/${questionId}/response`, {
        response: 'Other draft.',
      });
      assert.equal(noVersion.statusCode, 400);
      assert.match(noVersion.body, /Send the version of the question you are changing/);

      const staleApproval = await people.coordinator.sendJson('POST', `${api()}/${questionId}/approval`, {
        version: 1,
      });
      assert.equal(staleApproval.statusCode, 409);
      assert.equal((await readQuestion(people.viewer, questionId)).status, 'waiting');
    });

    it('publishes a response when the coordinator approves it, dated, and never changes it', async () => {
      const { questionId } = await askByApi(people.viewer, { about: `action:${actionId}`, text: 'Is it working?' });
      const url = `${page()}/${questionId}`;

      const nothing = await people.coordinator.sendJson('POST', `${api()}/${questionId}/approval`, { version: 1 });
      assert.equal(nothing.statusCode, 400);
      assert.match(nothing.body, /There is no draft response to approve yet/);

      await people.trustEditor.postForm(`${url}/response`, { response: 'Yes: the audit shows 96%.', version: '1' });
      for (const client of [people.trustEditor, people.councilEditor, people.reviewer, people.viewer]) {
        assert.equal((await client.postForm(`${url}/approval`, { version: '2' })).statusCode, 403);
        assert.equal(
          (await client.sendJson('POST', `${api()}/${questionId}/approval`, { version: 2 })).statusCode,
          403,
        );
      }
      const approved = await people.coordinator.postForm(`${url}/approval`, { version: '2' });
      assert.equal(approved.statusCode, 303);

      // Everyone who reads the plan now sees it, dated and named.
      for (const client of [people.viewer, people.councilEditor, people.admin]) {
        const shown = await text(client, url);
        assert.match(shown, /Yes: the audit shows 96%\./);
        assert.match(shown, /Published on 23 November 2026, approved by Cora Coordinator\. Drafted by Tess Trust\./);
        const json = await readQuestion(client, questionId);
        assert.deepEqual(json.response, {
          text: 'Yes: the audit shows 96%.',
          by: 'Tess Trust',
          publishedOn: TEST_TODAY,
          approvedBy: 'Cora Coordinator',
        });
        assert.equal(json.status, 'answered');
      }
      const list = await text(people.viewer, page());
      assert.match(list, /Answered .*Is it working\?.*Yes: the audit shows 96%\. Published on 23 November 2026/);

      // A published response cannot be edited, nor approved again.
      const edit = await people.trustEditor.sendJson('PUT', `${api()}/${questionId}/response`, {
        response: 'Changed.',
        version: 3,
      });
      assert.equal(edit.statusCode, 409);
      assert.match(
        edit.body,
        /This response is published and cannot be changed\. To correct it, record a new question\./,
      );
      assert.equal(
        (await people.coordinator.sendJson('POST', `${api()}/${questionId}/approval`, { version: 3 })).statusCode,
        409,
      );
      const pageShown = await text(people.coordinator, url);
      assert.doesNotMatch(pageShown, /Save the draft|Approve and publish/);
      assert.equal((await readQuestion(people.viewer, questionId)).response?.text, 'Yes: the audit shows 96%.');

      const audit = await auditOf(questionId);
      assert.deepEqual(
        audit.map((a) => a.action),
        ['created', 'response drafted', 'response published'],
      );
      assert.match(String(audit[2]?.after), /"publishedOn":"2026-11-23"/);
    });

    it('names an action archived after the question was asked as archived', async () => {
      const archived = await createAction(t.database.db, { reviewId, recommendationId, organisationIds: [trust] });
      const { questionId } = await askByApi(people.viewer, { about: `action:${archived}` });
      await t.database.db
        .updateTable('actions')
        .set({ archived_at: '2026-11-22T10:00:00.000Z' })
        .where('id', '=', archived)
        .execute();
      const json = await readQuestion(people.viewer, questionId);
      assert.equal(json.about.label, 'An archived action of recommendation 1.1');
      // An archived action is not offered for a new question.
      const refused = await askByApi(people.viewer, { about: `action:${archived}` });
      assert.equal(refused.statusCode, 400);
    });

    it('lets the coordinator alone answer a question no organisation answers', async () => {
      const { questionId } = await askByApi(people.viewer, {
        about: `recommendation:${recommendationId}`,
        organisationId: 'coordinator',
      });
      const url = `${page()}/${questionId}/response`;
      assert.equal((await people.trustEditor.postForm(url, { response: 'x', version: '1' })).statusCode, 403);
      assert.equal((await people.coordinator.postForm(url, { response: 'x', version: '1' })).statusCode, 303);
    });

    it('marks questions unanswered longer than the review allows, as the coordinator sets it', async () => {
      const old = await askByApi(people.viewer, { text: 'An old question', askedOn: '2026-10-01' });
      const recent = await askByApi(people.viewer, { text: 'A recent question', askedOn: '2026-11-20' });
      assert.equal((await readQuestion(people.viewer, old.questionId)).overdue, true);
      assert.equal((await readQuestion(people.viewer, recent.questionId)).overdue, false);
      // Overdue after more than 28 days: asked 28 days before today is not yet, 29 days is.
      const onTheDay = await askByApi(people.viewer, { text: 'Asked 28 days ago', askedOn: '2026-10-26' });
      const dayAfter = await askByApi(people.viewer, { text: 'Asked 29 days ago', askedOn: '2026-10-25' });
      assert.equal((await readQuestion(people.viewer, onTheDay.questionId)).overdue, false);
      assert.equal((await readQuestion(people.viewer, dayAfter.questionId)).overdue, true);
      const html = (await people.viewer.get(page())).body;
      const oldItem = html.slice(
        html.indexOf('An old question'),
        html.indexOf('</li>', html.indexOf('An old question')),
      );
      assert.match(oldItem, /Overdue for an answer/);
      assert.match(visibleText(html), /no response has been published 28 days after it was asked/);

      // Only the coordinator sets the number of days.
      assert.doesNotMatch(visibleText(html), /Days a question may wait/);
      assert.equal((await people.viewer.postForm(`${page()}/settings`, { questionDays: '60' })).statusCode, 403);
      assert.equal((await people.trustEditor.postForm(`${page()}/settings`, { questionDays: '60' })).statusCode, 403);
      const bad = await people.coordinator.postForm(`${page()}/settings`, { questionDays: '0' });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /Enter the number of days as a whole number from 1 to 365/);
      const set = await people.coordinator.postForm(`${page()}/settings`, { questionDays: '60' });
      assert.equal(set.statusCode, 303);
      assert.equal((await readQuestion(people.viewer, old.questionId)).overdue, false);
      assert.match(await text(people.viewer, page()), /no response has been published 60 days after it was asked/);
      const review = await t.database.db
        .selectFrom('reviews')
        .select('question_days')
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow();
      assert.equal(review.question_days, 60);
      const audit = await t.database.db
        .selectFrom('audit_events')
        .select(['action', 'after'])
        .where('entity_type', '=', 'review')
        .where('review_id', '=', reviewId)
        .where('action', '=', 'question days set')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.after),
        ['{"questionDays":60}'],
      );
      // The same through the API.
      assert.equal((await people.viewer.sendJson('PUT', `${api()}/settings`, { questionDays: 28 })).statusCode, 403);
      const badApi = await people.coordinator.sendJson('PUT', `${api()}/settings`, { questionDays: 'soon' });
      assert.deepEqual(badApi.json().errors, [
        { field: 'questionDays', message: 'Enter the number of days as a whole number from 1 to 365' },
      ]);
      const setApi = await people.coordinator.sendJson('PUT', `${api()}/settings`, { questionDays: 28 });
      assert.deepEqual(setApi.json(), { questionDays: 28 });
      assert.equal((await readQuestion(people.viewer, old.questionId)).overdue, true);
    });

    it('filters the list by forum and exports it as CSV, published responses only', async () => {
      const db = t.database.db;
      const csvReview = await createReview(db, { area: 'Csvshire', coveredOrganisationIds: [trust] });
      const coordinator = new Client(
        t.app,
        await signedInMember(db, { reviewId: csvReview, organisationId: trust, role: 'coordinator', name: 'Cy Coord' }),
      );
      const viewer = new Client(
        t.app,
        await signedInMember(db, { reviewId: csvReview, organisationId: trust, role: 'viewer', name: 'Val' }),
      );
      const base = `/api/reviews/${csvReview}/questions`;
      const ask = async (body: Record<string, unknown>) => {
        const res = await viewer.sendJson('POST', base, {
          about: 'review',
          askedBy: 'Cllr B, "chair"',
          askedOn: '2026-11-02',
          ...body,
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json<{ question: { id: number } }>().question.id;
      };
      const answered = await ask({
        text: 'Is the plan on track?',
        forum: 'scrutiny_panel',
        meetingWords: 'Panel, 2 November',
      });
      await ask({ text: '=Why so slow?', forum: 'health_wellbeing_board', askedOn: '2026-09-01' });
      await coordinator.sendJson('PUT', `${base}/${answered}/response`, { response: 'Yes, on track.', version: 1 });
      await coordinator.sendJson('POST', `${base}/${answered}/approval`, { version: 2 });

      const filtered = await text(viewer, `/reviews/${csvReview}/questions?forum=scrutiny_panel`);
      assert.match(filtered, /Is the plan on track\?/);
      assert.doesNotMatch(filtered, /Why so slow/);
      assert.match(filtered, /No question from the scrutiny panel is waiting for an answer/);

      const csv = await viewer.get(`/reviews/${csvReview}/questions.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(
        String(csv.headers['content-disposition']),
        /attachment; filename="Questions Csvshire 2026-11-23\.csv"/,
      );
      assert.equal(
        csv.body,
        '\uFEFF' +
          [
            'Question,About,Asked by,Forum,Meeting,Asked on,Answered by,Status,Response,Published on,Approved by',
            'Is the plan on track?,the review,"Cllr B, ""chair""",Scrutiny panel,"Panel, 2 November",2026-11-02,' +
              'The plan coordinator,Answered,"Yes, on track.",2026-11-23,Cy Coord',
            // A cell a spreadsheet would run as a formula is kept as text.
            '\'=Why so slow?,the review,"Cllr B, ""chair""",Health and Wellbeing Board,,2026-09-01,' +
              'The plan coordinator,Overdue for an answer,,,',
          ].join('\r\n') +
          '\r\n',
      );
      const onlyBoard = await viewer.get(`/reviews/${csvReview}/questions.csv?forum=health_wellbeing_board`);
      assert.doesNotMatch(onlyBoard.body, /on track/);
      assert.match(onlyBoard.body, /Why so slow/);
    });
  });
}
