import { formatDate } from '../../src/domain/dates.ts';
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
import { createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/** The version a form carries in its hidden field. */
function formVersion(html: string): string {
  const m = /name="version" value="(\d+)"/.exec(html);
  assert.ok(m, 'the form carries the version it was opened on');
  return m[1] ?? '';
}

/** The messages of a page's error summary, in order. */
function errorSummary(html: string): string[] {
  const summary = /<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => visibleText(m[1] ?? ''));
}

function title(html: string): string {
  return visibleText(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
}

for (const target of databaseTargets) {
  describe(`editing the plan on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let icb: number;
    let trust: number;
    let council: number;
    let groupId: number;
    let recommendationId: number;
    let coordinator: Client;
    let editor: Client;
    let viewer: Client;
    let reviewer: Client;
    let outsider: Client;

    const db = () => t.database.db;
    const base = () => `/reviews/${reviewId}`;

    const actionForm = (fields: Record<string, string | string[]>) => ({
      agencyText: '',
      organisationIds: [String(trust)],
      actionText: 'Audit the triage records every quarter.',
      leadText: 'Named nurse',
      dateWords: '',
      'dueDate-day': '31',
      'dueDate-month': '3',
      'dueDate-year': '2027',
      measure: 'Audit shows 95% of records complete.',
      assurance: '',
      ...fields,
    });

    async function newAction(client: Client, fields: Record<string, string | string[]>, number = '1.1') {
      return client.postForm(`${base()}/recommendations/${number}/actions/new`, actionForm(fields));
    }

    const actionRow = (id: number) =>
      db().selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const actionOrganisations = async (id: number) =>
      (await db().selectFrom('action_organisations').select('organisation_id').where('action_id', '=', id).execute())
        .map((r) => r.organisation_id)
        .sort((a, b) => a - b);
    const newestAction = async () =>
      (await db().selectFrom('actions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

    before(async () => {
      t = await startTestApp(target);
      icb = await createOrganisation(db(), {
        name: 'NHS Testshire Integrated Care Board',
        shortName: 'Testshire ICB',
        kind: 'commissioner',
      });
      trust = await createOrganisation(db(), {
        name: 'Testshire Hospitals NHS Foundation Trust',
        shortName: 'Testshire Hospitals',
      });
      council = await createOrganisation(db(), { name: 'Testshire Council', kind: 'local_authority' });
      reviewId = await createReview(db(), {
        area: 'Testshire',
        leadOrganisationId: icb,
        coveredOrganisationIds: [icb, trust, council],
      });
      groupId = await createGroup(db(), reviewId, 1, [icb, trust], 'Testshire ICB and Testshire Hospitals should:');
      recommendationId = await createRecommendation(db(), {
        reviewId,
        groupId,
        number: '1.1',
        text: 'Ensure previous attendances are considered at triage.',
        outcome: 'Every child has a safeguarding assessment.',
      });
      coordinator = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: icb, role: 'coordinator', name: 'Cora Coordinator' }),
      );
      editor = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: trust, role: 'editor', name: 'Eddie Editor' }),
      );
      viewer = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: trust, role: 'viewer', name: 'Vic Viewer' }),
      );
      reviewer = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: icb, role: 'reviewer', name: 'Rita Reviewer' }),
      );
      outsider = new Client(t.app, await sessionFor(db(), await createUser(db(), { name: 'Otto Outsider' })));
    });
    after(async () => t.close());

    it('creates a review by hand, with the default title, and makes the creator its coordinator', async () => {
      const list = await coordinator.get('/reviews');
      assert.match(visibleText(list.body), /Create a review/);
      assert.doesNotMatch(visibleText((await viewer.get('/reviews')).body), /Create a review/);

      const form = await coordinator.get('/reviews/new');
      assert.equal(form.statusCode, 200);
      assert.equal(title(form.body), 'Create a review – Clasp');
      assert.match(visibleText(form.body), /Organisations covered .*Testshire Council/);

      const res = await coordinator.postForm('/reviews/new', {
        title: '',
        area: 'Newtown',
        'reviewStart-day': '13',
        'reviewStart-month': '1',
        'reviewStart-year': '2025',
        'reviewEnd-day': '17',
        'reviewEnd-month': '1',
        'reviewEnd-year': '2025',
        'reportPublished-day': '3',
        'reportPublished-month': '3',
        'reportPublished-year': '2025',
        leadOrganisationId: String(icb),
        organisationIds: [String(trust)],
        ratingScale: 'RAG',
      });
      assert.equal(res.statusCode, 303);
      const newId = Number(/^\/reviews\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
      const review = await db().selectFrom('reviews').selectAll().where('id', '=', newId).executeTakeFirstOrThrow();
      assert.equal(review.title, 'Review of health services for Children Looked After and Safeguarding in Newtown');
      assert.equal(review.review_start, '2025-01-13');
      assert.equal(review.report_received, null);
      assert.equal(review.rating_scale, 'RAG');
      const covered = await db()
        .selectFrom('review_organisations')
        .select('organisation_id')
        .where('review_id', '=', newId)
        .orderBy('organisation_id')
        .execute();
      assert.deepEqual(
        covered.map((r) => r.organisation_id),
        [icb, trust].sort((a, b) => a - b),
        'the lead organisation is always covered',
      );
      const membership = await db()
        .selectFrom('memberships')
        .selectAll()
        .where('review_id', '=', newId)
        .executeTakeFirstOrThrow();
      assert.equal(membership.role, 'coordinator');
      assert.equal(membership.organisation_id, icb);
      const events = await db()
        .selectFrom('audit_events')
        .select(['entity_type', 'action', 'actor'])
        .where('review_id', '=', newId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => `${e.entity_type} ${e.action} by ${e.actor}`),
        ['review created by Cora Coordinator', 'membership created by Cora Coordinator'],
      );

      const page = await coordinator.get(`/reviews/${newId}`);
      assert.equal(page.statusCode, 200, 'the creator can open the new review at once');
      assert.match(
        visibleText(page.body),
        /Review of health services for Children Looked After and Safeguarding in Newtown/,
      );
      assert.match(visibleText(page.body), /Edit review details/);
    });

    it('explains every problem with a new review, and keeps what was entered', async () => {
      const res = await coordinator.postForm('/reviews/new', {
        area: '',
        'reviewStart-day': '17',
        'reviewStart-month': '1',
        'reviewStart-year': '2025',
        'reviewEnd-day': '13',
        'reviewEnd-month': '1',
        'reviewEnd-year': '2025',
        'reportPublished-day': '31',
        'reportPublished-month': '2',
        'reportPublished-year': '2025',
        title: 'My <b>own</b> title',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(title(res.body), 'Error: Create a review – Clasp');
      assert.deepEqual(errorSummary(res.body), [
        'Enter the area the review covered, for example Rotherham',
        'The date the review ended must be the same as or after the date it started',
        'The date the report was published must be a real date, for example 31 3 2027',
        'Select the lead organisation',
        'Select at least one organisation',
        'Select a rating scale',
      ]);
      assert.match(res.body, /href="#reviewEnd-day"/, 'a date links to its day box');
      assert.match(res.body, /value="My &lt;b&gt;own&lt;\/b&gt; title"/);
      const empty = await coordinator.postForm('/reviews/new', {
        area: 'Somewhere',
        leadOrganisationId: String(icb),
        ratingScale: 'BRAG',
      });
      assert.deepEqual(errorSummary(empty.body), [
        'Enter the date the review started, for example 31 3 2027',
        'Enter the date the review ended, for example 31 3 2027',
        'Enter the date the report was published, for example 31 3 2027',
      ]);
    });

    it('lets only administrators and coordinators create reviews', async () => {
      assert.equal((await viewer.get('/reviews/new')).statusCode, 403);
      assert.equal((await editor.postForm('/reviews/new', { area: 'Sneaky' })).statusCode, 403);
      const admin = await t.admin();
      assert.equal((await admin.get('/reviews/new')).statusCode, 200);
      const api = await editor.sendJson('POST', '/api/reviews', { area: 'Sneaky' });
      assert.equal(api.statusCode, 403);
      const count = await db()
        .selectFrom('reviews')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('area', '=', 'Sneaky')
        .executeTakeFirstOrThrow();
      assert.equal(count.n, 0);
    });

    it('edits the review details, for coordinators only, and audits what changed', async () => {
      const otherReview = await createReview(db(), {
        area: 'Otherton',
        leadOrganisationId: icb,
        received: null,
        coveredOrganisationIds: [icb, trust, council],
      });
      await createGroup(db(), otherReview, 1, [trust]);
      const boss = new Client(
        t.app,
        await signedInMember(db(), {
          reviewId: otherReview,
          organisationId: icb,
          role: 'coordinator',
          name: 'Bea Boss',
        }),
      );
      const path = `/reviews/${otherReview}/edit`;
      assert.equal(
        (await coordinator.get(path)).statusCode,
        404,
        'a coordinator of another review is not a member here',
      );
      assert.equal((await outsider.postForm(path, { area: 'X' })).statusCode, 404);
      const member = new Client(
        t.app,
        await signedInMember(db(), { reviewId: otherReview, organisationId: trust, role: 'editor' }),
      );
      assert.equal((await member.get(path)).statusCode, 403);
      assert.equal((await member.postForm(path, { area: 'X' })).statusCode, 403);

      const form = await boss.get(path);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /value="Otherton"/);
      const fields = {
        version: formVersion(form.body),
        title: 'Review of health services for Children Looked After and Safeguarding in Otherton',
        area: 'Otherton and District',
        'reviewStart-day': '13',
        'reviewStart-month': '1',
        'reviewStart-year': '2025',
        'reviewEnd-day': '17',
        'reviewEnd-month': '1',
        'reviewEnd-year': '2025',
        'reportPublished-day': '3',
        'reportPublished-month': '3',
        'reportPublished-year': '2025',
        'reportReceived-day': '28',
        'reportReceived-month': '2',
        'reportReceived-year': '2025',
        leadOrganisationId: String(icb),
        organisationIds: [String(icb)],
        ratingScale: 'BRAG',
      };
      const refused = await boss.postForm(path, fields);
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(errorSummary(refused.body), [
        'Testshire Hospitals NHS Foundation Trust cannot be removed: ' +
          'recommendation groups or actions of this plan name it',
      ]);

      const res = await boss.postForm(path, { ...fields, organisationIds: [String(icb), String(trust)] });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/reviews/${otherReview}`);
      const review = await db()
        .selectFrom('reviews')
        .selectAll()
        .where('id', '=', otherReview)
        .executeTakeFirstOrThrow();
      assert.equal(review.area, 'Otherton and District');
      assert.equal(review.report_received, '2025-02-28');
      assert.equal(review.version, 2);
      const covered = await db()
        .selectFrom('review_organisations')
        .select('organisation_id')
        .where('review_id', '=', otherReview)
        .execute();
      assert.equal(covered.length, 2, 'the council is no longer covered');
      const event = await db()
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'review')
        .where('entity_id', '=', String(otherReview))
        .executeTakeFirstOrThrow();
      assert.equal(event.action, 'updated');
      assert.equal(event.actor, 'Bea Boss');
      assert.deepEqual(JSON.parse(event.before ?? ''), {
        area: 'Otherton',
        reportReceived: null,
        organisationIds: [icb, trust, council].sort((a, b) => a - b),
        version: 1,
      });
      assert.deepEqual(JSON.parse(event.after ?? ''), {
        area: 'Otherton and District',
        reportReceived: '2025-02-28',
        organisationIds: [icb, trust].sort((a, b) => a - b),
        version: 2,
      });
      const page = visibleText((await boss.get(`/reviews/${otherReview}`)).body);
      assert.match(page, /Report received 28 February 2025/);
    });

    it('adds and edits a recommendation group', async () => {
      const form = await coordinator.get(`${base()}/groups/new`);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Organisations addressed .*Testshire Council/);
      const bad = await coordinator.postForm(`${base()}/groups/new`, { number: '1', heading: '' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(errorSummary(bad.body), [
        'Group 1 already exists in this review',
        'Enter the heading, for example NHS Rotherham CCG and The Rotherham NHS Foundation Trust should:',
        'Select at least one organisation',
      ]);
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/groups/new`, {
              number: 'two',
              heading: 'x',
              organisationIds: String(council),
            })
          ).body,
        ),
        ['Group number must be a whole number, like 2'],
      );
      const outside = await createOrganisation(db(), { name: 'Not In This Review NHS Trust' });
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/groups/new`, {
              number: '7',
              heading: 'x',
              organisationIds: String(outside),
            })
          ).body,
        ),
        ['Select organisations from the list'],
      );

      const res = await coordinator.postForm(`${base()}/groups/new`, {
        number: '2',
        heading: 'Testshire Council should:',
        organisationIds: [String(council)],
      });
      assert.equal(res.statusCode, 303);
      const group = await db()
        .selectFrom('recommendation_groups')
        .selectAll()
        .where('review_id', '=', reviewId)
        .where('number', '=', 2)
        .executeTakeFirstOrThrow();
      assert.equal(group.heading, 'Testshire Council should:');

      const edit = await coordinator.get(`${base()}/groups/${group.id}/edit`);
      assert.match(edit.body, /Testshire Council should:/);
      const saved = await coordinator.postForm(`${base()}/groups/${group.id}/edit`, {
        version: formVersion(edit.body),
        number: '2',
        heading: 'Testshire Council and Testshire ICB should:',
        organisationIds: [String(council), String(icb)],
      });
      assert.equal(saved.statusCode, 303);
      const links = await db()
        .selectFrom('recommendation_group_organisations')
        .select('organisation_id')
        .where('group_id', '=', group.id)
        .execute();
      assert.equal(links.length, 2);
      assert.equal((await editor.get(`${base()}/groups/${group.id}/edit`)).statusCode, 403);
      assert.equal((await coordinator.get(`${base()}/groups/999999/edit`)).statusCode, 404);
    });

    it('adds a recommendation, normalising its number, and refuses duplicates and malformed numbers', async () => {
      const form = await coordinator.get(`${base()}/recommendations/new`);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Group 1: Testshire ICB and Testshire Hospitals should:/);
      const bad = await coordinator.postForm(`${base()}/recommendations/new`, { number: '1.1', groupId: '', text: '' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(errorSummary(bad.body), [
        'Recommendation 1.1 already exists in this review',
        'Select the recommendation group',
        'Enter the recommendation',
      ]);
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/recommendations/new`, {
              number: '1',
              groupId: String(groupId),
              text: 'x',
            })
          ).body,
        ),
        ['Recommendation number must be like 1.1'],
      );
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/recommendations/new`, {
              number: '1.9',
              groupId: String(groupId),
              text: 'x'.repeat(5001),
            })
          ).body,
        ),
        ['The recommendation must be 5,000 characters or fewer'],
      );

      const res = await coordinator.postForm(`${base()}/recommendations/new`, {
        number: '1.2.',
        groupId: String(groupId),
        text: 'Make sure that all staff complete level 3 training.',
        outcome: 'All staff trained.',
        responsibleOfficer: 'Chief nurse',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${base()}/recommendations/1.2`);
      const page = await coordinator.get(res.headers.location ?? '');
      const text = visibleText(page.body);
      assert.match(text, /Recommendation 1\.2 Make sure that all staff complete level 3 training\./);
      assert.match(text, /Edit recommendation/);
      assert.match(text, /Add an action/);
      assert.match(text, /Archive recommendation/);
      const viewerText = visibleText((await viewer.get(res.headers.location ?? '')).body);
      assert.doesNotMatch(viewerText, /Edit recommendation|Add an action|Archive recommendation/);
      const editorText = visibleText((await editor.get(res.headers.location ?? '')).body);
      assert.match(editorText, /Add an action/);
      assert.doesNotMatch(editorText, /Edit recommendation|Archive recommendation/);
      assert.equal(
        (await editor.postForm(`${base()}/recommendations/new`, { number: '1.8', groupId: String(groupId), text: 'x' }))
          .statusCode,
        403,
      );
      assert.equal((await reviewer.get(`${base()}/recommendations/new`)).statusCode, 403);
    });

    it('edits a recommendation, including its number', async () => {
      await createRecommendation(db(), { reviewId, groupId, number: '1.5', text: 'Old words.' });
      const form = await coordinator.get(`${base()}/recommendations/1.5/edit`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Old words\./);
      const clash = await coordinator.postForm(`${base()}/recommendations/1.5/edit`, {
        version: formVersion(form.body),
        number: '1.1',
        groupId: String(groupId),
        text: 'New words.',
      });
      assert.deepEqual(errorSummary(clash.body), ['Recommendation 1.1 already exists in this review']);
      const res = await coordinator.postForm(`${base()}/recommendations/1.5/edit`, {
        version: formVersion(form.body),
        number: '1.6',
        groupId: String(groupId),
        text: 'New words.',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${base()}/recommendations/1.6`);
      const row = await db()
        .selectFrom('recommendations')
        .selectAll()
        .where('review_id', '=', reviewId)
        .where('number', '=', '1.6')
        .executeTakeFirstOrThrow();
      assert.equal(row.text, 'New words.');
      assert.equal(row.version, 2);
      assert.equal((await coordinator.get(`${base()}/recommendations/1.5`)).statusCode, 404);
      assert.equal(
        (
          await editor.postForm(`${base()}/recommendations/1.6/edit`, {
            version: '2',
            number: '1.6',
            groupId: String(groupId),
            text: 'Hijack',
          })
        ).statusCode,
        403,
      );
    });

    it('adds and edits findings, with sections from the list or another', async () => {
      const form = await coordinator.get(`${base()}/findings/new`);
      assert.equal(form.statusCode, 200);
      assert.match(
        visibleText(form.body),
        new RegExp(
          /Early help .*Children in need .*Child protection .*Looked after children /.source +
            /.*Leadership and management .*Governance .*Training and supervision/.source,
        ),
      );
      const bad = await coordinator.postForm(`${base()}/findings/new`, { number: '3.x', text: '' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(errorSummary(bad.body), [
        'Finding number must be like 3.19 or 5.2.4',
        'Select the section of the report',
        'Enter the finding',
        'Select whether the finding is a concern or good practice',
      ]);
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/findings/new`, {
              number: '2',
              section: 'other',
              text: 'x',
              kind: 'concern',
            })
          ).body,
        ),
        ['Enter the name of the section'],
      );

      const res = await coordinator.postForm(`${base()}/findings/new`, {
        number: '5.2.4',
        section: 'other',
        sectionOther: 'Emergency departments',
        text: 'Previous attendances were not considered.',
        kind: 'concern',
        publicHealth: 'yes',
        recommendationIds: [String(recommendationId)],
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${base()}/findings/5.2.4`);
      const page = visibleText((await coordinator.get(`${base()}/findings/5.2.4`)).body);
      assert.match(
        page,
        /Emergency departments Finding 5\.2\.4 Previous attendances were not considered\. Edit finding 5\.2\.4 Concern/,
      );
      assert.match(page, /Recommendation 1\.1/);
      assert.deepEqual(
        errorSummary(
          (
            await coordinator.postForm(`${base()}/findings/new`, {
              number: '5.2.4',
              section: 'Governance',
              text: 'x',
              kind: 'concern',
            })
          ).body,
        ),
        ['Finding 5.2.4 already exists in this review'],
      );

      const edit = await coordinator.get(`${base()}/findings/5.2.4/edit`);
      assert.match(edit.body, /value="Emergency departments"/);
      const saved = await coordinator.postForm(`${base()}/findings/5.2.4/edit`, {
        version: formVersion(edit.body),
        number: '5.2.4',
        section: 'Governance',
        text: 'Previous attendances were not considered at triage.',
        kind: 'good_practice',
      });
      assert.equal(saved.statusCode, 303);
      const row = await db()
        .selectFrom('findings')
        .selectAll()
        .where('review_id', '=', reviewId)
        .where('number', '=', '5.2.4')
        .executeTakeFirstOrThrow();
      assert.equal(row.section, 'Governance');
      assert.equal(row.kind, 'good_practice');
      assert.equal(row.public_health, 0);
      const links = await db()
        .selectFrom('finding_recommendations')
        .selectAll()
        .where('finding_id', '=', row.id)
        .execute();
      assert.equal(links.length, 0, 'the unticked recommendation is unlinked');
      const list = visibleText((await coordinator.get(`${base()}/findings`)).body);
      assert.match(list, /Add a finding/);
      assert.doesNotMatch(visibleText((await viewer.get(`${base()}/findings`)).body), /Add a finding|Edit finding/);
      assert.equal((await viewer.postForm(`${base()}/findings/5.2.4/edit`, { version: '2' })).statusCode, 403);
    });

    const addsAnAction =
      'adds an action, reads the due date from the date words and says so, and shows the SMART check as guidance';
    it(addsAnAction, async () => {
      const form = await coordinator.get(`${base()}/recommendations/1.1/actions/new`);
      assert.equal(form.statusCode, 200);
      assert.equal(title(form.body), 'Add an action to recommendation 1.1 – Testshire – Clasp');
      const res = await newAction(coordinator, {
        actionText: 'Add a prompt to the triage form.',
        leadText: '',
        dateWords: 'Mar-27',
        'dueDate-day': '',
        'dueDate-month': '',
        'dueDate-year': '',
      });
      assert.equal(res.statusCode, 303);
      const id = await newestAction();
      assert.equal(res.headers.location, `${base()}/actions/${id}/edit?saved=added&due=read`);
      const row = await actionRow(id);
      assert.equal(row.due_date, '2027-03-31');
      assert.equal(row.date_words, 'Mar-27');
      assert.equal(row.created_on, '2026-11-23');
      assert.equal(row.recommendation_id, recommendationId);
      assert.deepEqual(await actionOrganisations(id), [trust]);

      const after = visibleText((await coordinator.get(res.headers.location ?? '')).body);
      assert.match(
        after,
        new RegExp(
          /Action added The due date was read from the date words as 31 March 2027: /.source +
            /End of March 2027, read from "Mar-27"\./.source,
        ),
      );
      assert.match(
        after,
        new RegExp(
          /Is the action SMART\? The action is saved, /.source +
            /but the plan lists it under "Not SMART" until these are put right: No lead is named/.source,
        ),
      );

      const event = await db()
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'action')
        .where('entity_id', '=', String(id))
        .executeTakeFirstOrThrow();
      assert.equal(event.action, 'created');
      assert.equal(event.action_id, id);
      assert.equal(event.organisation_id, icb, 'the coordinator acts for their organisation');
      assert.equal(JSON.parse(event.after ?? '{}').actionText, 'Add a prompt to the triage form.');
    });

    it('explains what is missing from an action, and accepts words that say it is ongoing', async () => {
      const empty = await newAction(coordinator, {
        organisationIds: [],
        actionText: '',
        dateWords: '',
        'dueDate-day': '',
        'dueDate-month': '',
        'dueDate-year': '',
      });
      assert.equal(empty.statusCode, 400);
      assert.equal(title(empty.body), 'Error: Add an action to recommendation 1.1 – Testshire – Clasp');
      assert.deepEqual(errorSummary(empty.body), [
        'Select at least one organisation',
        'Enter the action',
        'Enter the date the action is due, for example 31 3 2027',
      ]);
      assert.match(empty.body, /href="#dueDate-day"/);
      const tbc = await newAction(coordinator, {
        dateWords: 'TBC',
        'dueDate-day': '',
        'dueDate-month': '',
        'dueDate-year': '',
      });
      assert.deepEqual(errorSummary(tbc.body), [
        '"TBC" gives no date: enter the date the action is due, for example 31 3 2027',
      ]);
      assert.match(tbc.body, /value="TBC"/, 'what was entered is kept');
      const unreal = await newAction(coordinator, {
        'dueDate-day': '31',
        'dueDate-month': '2',
        'dueDate-year': '2027',
      });
      assert.deepEqual(errorSummary(unreal.body), [
        'The date the action is due must be a real date, for example 31 3 2027',
      ]);
      assert.deepEqual(errorSummary((await newAction(coordinator, { leadText: 'x'.repeat(201) })).body), [
        'The lead must be 200 characters or fewer',
      ]);

      const ongoing = await newAction(coordinator, {
        actionText: 'Keep the audit going.',
        dateWords: 'On-going',
        'dueDate-day': '',
        'dueDate-month': '',
        'dueDate-year': '',
      });
      assert.equal(ongoing.statusCode, 303);
      const row = await actionRow(await newestAction());
      assert.equal(row.due_date, null);
      const page = visibleText((await coordinator.get(ongoing.headers.location ?? '')).body);
      assert.match(page, /The action has no due date: "On-going" names no end date\./);
      assert.match(page, /The date "On-going" is not a date/);
    });

    it('lets editors add and change only actions of their own organisations', async () => {
      const form = await editor.get(`${base()}/recommendations/1.1/actions/new`);
      assert.equal(form.statusCode, 200);
      assert.match(
        visibleText(form.body),
        /Include at least one of your own organisations: Testshire Hospitals NHS Foundation Trust/,
      );
      const notMine = await newAction(editor, { organisationIds: [String(council)] });
      assert.equal(notMine.statusCode, 400);
      assert.deepEqual(errorSummary(notMine.body), [
        'Select at least one of your own organisations: Testshire Hospitals NHS Foundation Trust',
      ]);
      const joint = await newAction(editor, {
        actionText: 'Joint audit with the council.',
        organisationIds: [String(trust), String(council)],
      });
      assert.equal(joint.statusCode, 303);
      const jointId = await newestAction();
      const event = await db()
        .selectFrom('audit_events')
        .select(['organisation_id', 'actor'])
        .where('entity_type', '=', 'action')
        .where('entity_id', '=', String(jointId))
        .executeTakeFirstOrThrow();
      assert.deepEqual(event, { organisation_id: trust, actor: 'Eddie Editor' });

      // An editor may not take the last of their own organisations off an action.
      const edit = await editor.get(`${base()}/actions/${jointId}/edit`);
      assert.equal(edit.statusCode, 200);
      const dropped = await editor.postForm(
        `${base()}/actions/${jointId}/edit`,
        actionForm({ version: formVersion(edit.body), organisationIds: [String(council)] }),
      );
      assert.equal(dropped.statusCode, 400);
      assert.deepEqual(errorSummary(dropped.body), [
        'Select at least one of your own organisations: Testshire Hospitals NHS Foundation Trust',
      ]);
      assert.deepEqual(
        await actionOrganisations(jointId),
        [trust, council].sort((a, b) => a - b),
      );
      const kept = await editor.postForm(
        `${base()}/actions/${jointId}/edit`,
        actionForm({
          version: formVersion(edit.body),
          actionText: 'Joint audit, reported to the board.',
          organisationIds: [String(trust), String(council)],
        }),
      );
      assert.equal(kept.statusCode, 303);
      assert.equal((await actionRow(jointId)).action_text, 'Joint audit, reported to the board.');

      // Another organisation's action: refused however it is asked for.
      const councilAction = await createAction(db(), {
        reviewId,
        recommendationId,
        organisationIds: [council],
        text: 'Council action.',
      });
      const path = `${base()}/actions/${councilAction}`;
      assert.equal((await editor.get(`${path}/edit`)).statusCode, 403);
      const direct = await editor.postForm(
        `${path}/edit`,
        actionForm({ version: '1', actionText: 'Taken over.', organisationIds: [String(trust)] }),
      );
      assert.equal(direct.statusCode, 403);
      assert.match(visibleText(direct.body), /You can change only the actions of your own organisations/);
      assert.equal((await editor.postForm(`${path}/move`, { direction: 'up' })).statusCode, 403);
      assert.equal((await editor.postForm(`${path}/archive`, {})).statusCode, 403);
      assert.equal(
        (
          await editor.sendJson('PUT', `/api${path}`, {
            version: 1,
            actionText: 'Taken over.',
            organisationIds: [trust],
            dueDate: '2027-03-31',
          })
        ).statusCode,
        403,
      );
      const untouched = await actionRow(councilAction);
      assert.equal(untouched.action_text, 'Council action.');
      assert.equal(untouched.version, 1);
      assert.equal(untouched.archived_at, null);
    });

    it('refuses viewers and reviewers, and hides the review from non-members', async () => {
      const actionId = await createAction(db(), { reviewId, recommendationId, organisationIds: [trust] });
      const pages = [
        `${base()}/recommendations/1.1/actions/new`,
        `${base()}/actions/${actionId}/edit`,
        `${base()}/recommendations/1.1/edit`,
        `${base()}/findings/new`,
        `${base()}/groups/new`,
        `${base()}/edit`,
      ];
      for (const client of [viewer, reviewer]) {
        for (const page of pages) {
          assert.equal((await client.get(page)).statusCode, 403, page);
          assert.equal((await client.postForm(page, actionForm({ version: '1' }))).statusCode, 403, page);
        }
        assert.equal(
          (await client.postForm(`${base()}/actions/${actionId}/move`, { direction: 'up' })).statusCode,
          403,
        );
        assert.equal(
          (await client.sendJson('POST', `/api${base()}/recommendations/1.1/actions`, { actionText: 'x' })).statusCode,
          403,
        );
      }
      for (const page of pages) {
        assert.equal((await outsider.get(page)).statusCode, 404, page);
        assert.equal((await outsider.postForm(page, actionForm({ version: '1' }))).statusCode, 404, page);
      }
      assert.equal(
        (await outsider.sendJson('PUT', `/api${base()}/actions/${actionId}`, { version: 1 })).statusCode,
        404,
      );
      assert.equal((await outsider.postForm(`${base()}/actions/${actionId}/archive`, {})).statusCode, 404);
      // An administrator reads every review but changes a plan only through a membership of it.
      const admin = await t.admin();
      assert.equal((await admin.get(`${base()}/actions/${actionId}/edit`)).statusCode, 403);
      assert.equal((await admin.get(`${base()}/edit`)).statusCode, 403);
      assert.equal((await actionRow(actionId)).version, 1);
    });

    it('refuses a stale edit, shows what changed, overwrites nothing, and saves once reviewed', async () => {
      const actionId = await createAction(db(), {
        reviewId,
        recommendationId,
        organisationIds: [trust],
        text: 'Audit the records.',
        lead: 'Named nurse',
      });
      const path = `${base()}/actions/${actionId}/edit`;
      const coordinatorForm = await coordinator.get(path);
      const editorForm = await editor.get(path);
      assert.equal(formVersion(coordinatorForm.body), '1');
      const first = await editor.postForm(
        path,
        actionForm({
          version: formVersion(editorForm.body),
          actionText: 'Audit the records every month.',
          leadText: 'Named nurse',
        }),
      );
      assert.equal(first.statusCode, 303);

      const stale = await coordinator.postForm(
        path,
        actionForm({
          version: formVersion(coordinatorForm.body),
          actionText: 'Audit the records every week.',
          leadText: 'Head of safeguarding',
        }),
      );
      assert.equal(stale.statusCode, 409);
      assert.equal(title(stale.body), 'Error: Edit action – Testshire – Clasp');
      const today = formatDate(new Date().toISOString());
      assert.deepEqual(errorSummary(stale.body), [
        `This action was changed by Eddie Editor on ${today} after you opened it. ` +
          'Check the changes below, then save again.',
      ]);
      const text = visibleText(stale.body);
      assert.match(
        text,
        new RegExp(
          /Changes since you opened the form Field When you opened the form Saved now You entered /.source +
            /SMART action Audit the records\. Audit the records every month\. Audit the records every week\./.source,
        ),
      );
      assert.doesNotMatch(
        text.slice(0, text.indexOf('Your values are still')),
        /Head of safeguarding/,
        'only fields changed by the other person are listed',
      );
      assert.match(stale.body, /Audit the records every week\./, 'what was entered is kept in the form');
      assert.equal(formVersion(stale.body), '2', 'the form now carries the newest version');
      const kept = await actionRow(actionId);
      assert.equal(kept.action_text, 'Audit the records every month.');
      assert.equal(kept.lead_text, 'Named nurse');
      assert.equal(kept.version, 2);

      const again = await coordinator.postForm(
        path,
        actionForm({
          version: formVersion(stale.body),
          actionText: 'Audit the records every week.',
          leadText: 'Head of safeguarding',
        }),
      );
      assert.equal(again.statusCode, 303);
      const saved = await actionRow(actionId);
      assert.equal(saved.action_text, 'Audit the records every week.');
      assert.equal(saved.version, 3);

      // The same rule through the API.
      const api = await editor.sendJson('PUT', `/api${base()}/actions/${actionId}`, {
        version: 2,
        actionText: 'Late edit.',
        organisationIds: [trust],
        dueDate: '2027-03-31',
        leadText: 'Named nurse',
      });
      assert.equal(api.statusCode, 409);
      const body = api.json();
      assert.equal(body.version, 3);
      assert.equal(body.errors[0].field, 'version');
      assert.match(body.errors[0].message, /^This action was changed by Cora Coordinator on /);
      assert.deepEqual(
        body.changes.map((c: { field: string }) => c.field),
        ['actionText', 'leadText'],
      );
      assert.equal(body.changes[0].opened, 'Audit the records every month.');
      assert.equal((await actionRow(actionId)).action_text, 'Audit the records every week.');

      // Every update is audited with what it changed, before and after.
      const events = await db()
        .selectFrom('audit_events')
        .select(['action', 'actor', 'before', 'after'])
        .where('entity_type', '=', 'action')
        .where('entity_id', '=', String(actionId))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => `${e.action} by ${e.actor}`),
        ['updated by Eddie Editor', 'updated by Cora Coordinator'],
      );
      assert.deepEqual(JSON.parse(events[1]?.before ?? ''), {
        actionText: 'Audit the records every month.',
        leadText: 'Named nurse',
        version: 2,
      });
      assert.deepEqual(JSON.parse(events[1]?.after ?? ''), {
        actionText: 'Audit the records every week.',
        leadText: 'Head of safeguarding',
        version: 3,
      });
    });

    it('refuses stale edits of recommendations and findings too', async () => {
      await createRecommendation(db(), { reviewId, groupId, number: '4.1', text: 'First words.' });
      const path = `${base()}/recommendations/4.1/edit`;
      const form = await coordinator.get(path);
      const other = new Client(
        t.app,
        await signedInMember(db(), { reviewId, organisationId: trust, role: 'coordinator', name: 'Colin Colleague' }),
      );
      assert.equal(
        (
          await other.postForm(path, {
            version: formVersion((await other.get(path)).body),
            number: '4.1',
            groupId: String(groupId),
            text: 'Second words.',
          })
        ).statusCode,
        303,
      );
      const stale = await coordinator.postForm(path, {
        version: formVersion(form.body),
        number: '4.1',
        groupId: String(groupId),
        text: 'Third words.',
      });
      assert.equal(stale.statusCode, 409);
      assert.match(
        visibleText(stale.body),
        new RegExp(
          /This recommendation was changed by Colin Colleague on .* Recommendation First words\. /.source +
            /Second words\. Third words\./.source,
        ),
      );
      const row = await db()
        .selectFrom('recommendations')
        .select('text')
        .where('review_id', '=', reviewId)
        .where('number', '=', '4.1')
        .executeTakeFirstOrThrow();
      assert.equal(row.text, 'Second words.');
    });

    it('moves actions up and down within their recommendation', async () => {
      const rec = await createRecommendation(db(), { reviewId, groupId, number: '1.3' });
      const [a, b, c] = [
        await createAction(db(), {
          reviewId,
          recommendationId: rec,
          organisationIds: [trust],
          text: 'First action.',
          position: 1,
        }),
        await createAction(db(), {
          reviewId,
          recommendationId: rec,
          organisationIds: [icb],
          text: 'Second action.',
          position: 2,
        }),
        await createAction(db(), {
          reviewId,
          recommendationId: rec,
          organisationIds: [trust],
          text: 'Third action.',
          position: 3,
        }),
      ];
      const order = async () => {
        const text = visibleText((await coordinator.get(`${base()}/recommendations/1.3`)).body);
        return [...text.matchAll(/(First|Second|Third) action\./g)].map((m) => m[1]);
      };
      const page = await coordinator.get(`${base()}/recommendations/1.3`);
      assert.match(visibleText(page.body), /Move down action 1/);
      assert.equal((await order()).join(' '), 'First Second Third');

      const res = await editor.postForm(`${base()}/actions/${c}/move`, { direction: 'up' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${base()}/recommendations/1.3#action-${c}`);
      assert.equal((await order()).join(' '), 'First Third Second');
      assert.equal(
        (await editor.postForm(`${base()}/actions/${b}/move`, { direction: 'up' })).statusCode,
        403,
        "the second action is not the editor's",
      );
      assert.equal(
        (await coordinator.postForm(`${base()}/actions/${a}/move`, { direction: 'up' })).statusCode,
        303,
        'the first action stays first',
      );
      const api = await coordinator.sendJson('POST', `/api${base()}/actions/${a}/move`, { direction: 'down' });
      assert.equal(api.statusCode, 200);
      assert.deepEqual(api.json().actionIds, [c, a, b]);
      assert.equal((await order()).join(' '), 'Third First Second');
      assert.equal(
        (await coordinator.sendJson('POST', `/api${base()}/actions/${a}/move`, { direction: 'sideways' })).statusCode,
        400,
      );
      const moves = await db()
        .selectFrom('audit_events')
        .select(['entity_id', 'before', 'after'])
        .where('review_id', '=', reviewId)
        .where('action', '=', 'moved')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        moves.map((m) => [Number(m.entity_id), JSON.parse(m.before ?? '').place, JSON.parse(m.after ?? '').place]),
        [
          [c, 3, 2],
          [a, 1, 2],
        ],
      );
    });

    const archivesAndRestores =
      'archives and restores actions and recommendations: ' +
      'they drop out of the counts and exceptions, and stay on record';
    it(archivesAndRestores, async () => {
      const rec = await createRecommendation(db(), {
        reviewId,
        groupId,
        number: '1.4',
        text: 'Recommendation to archive.',
      });
      const overdue = await createAction(db(), {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust],
        text: 'Overdue action.',
        dateWords: 'Jan-26',
        dueDate: '2026-01-31',
        position: 1,
      });
      const other = await createAction(db(), {
        reviewId,
        recommendationId: rec,
        organisationIds: [icb],
        text: 'Other action.',
        position: 2,
      });
      const actionsInPlan = async () =>
        Number(/The plan has (\d+) actions/.exec(visibleText((await coordinator.get(base())).body))?.[1]);
      const overview = async () => visibleText((await coordinator.get(base())).body);
      const before = await actionsInPlan();
      assert.match(
        await overview(),
        /Action 1 of recommendation 1\.4: .*overdue|Overdue .*Action 1 of recommendation 1\.4/i,
      );

      assert.equal((await editor.postForm(`${base()}/actions/${overdue}/archive`, {})).statusCode, 403);
      const confirm = await coordinator.get(`${base()}/actions/${overdue}/archive`);
      assert.equal(confirm.statusCode, 200);
      assert.match(visibleText(confirm.body), /Archive this action .*Overdue action\./);
      const archived = await coordinator.postForm(`${base()}/actions/${overdue}/archive`, {});
      assert.equal(archived.statusCode, 303);
      assert.equal(archived.headers.location, `${base()}/actions/${overdue}`);
      assert.notEqual((await actionRow(overdue)).archived_at, null);
      assert.equal(await actionsInPlan(), before - 1);
      assert.doesNotMatch(await overview(), /of recommendation 1\.4/, 'the overdue action is no longer an exception');
      const archive = visibleText((await viewer.get(`${base()}/archived`)).body);
      assert.match(archive, /Action for recommendation 1\.4 Archived Overdue action\./);
      assert.doesNotMatch(archive, /Restore action/, 'only coordinators may restore');
      assert.match(visibleText((await coordinator.get(`${base()}/archived`)).body), /Restore action/);
      assert.equal((await coordinator.postForm(`${base()}/actions/${overdue}/restore`, {})).statusCode, 303);
      assert.equal(await actionsInPlan(), before);

      const question = visibleText((await coordinator.get(`${base()}/recommendations/1.4/archive`)).body);
      assert.match(question, /Archive recommendation 1\.4 .*its 2 actions/);
      const gone = await coordinator.postForm(`${base()}/recommendations/1.4/archive`, {});
      assert.equal(gone.statusCode, 303);
      assert.equal(gone.headers.location, `${base()}/archived`);
      assert.equal(await actionsInPlan(), before - 2);
      assert.doesNotMatch(await overview(), /Recommendation to archive/);
      assert.equal((await coordinator.get(`${base()}/recommendations/1.4`)).statusCode, 404);
      const list = visibleText((await coordinator.get(`${base()}/archived`)).body);
      assert.match(list, /Recommendation 1\.4 Archived Recommendation to archive\./);
      assert.match(list, /with recommendation 1\.4: restore the recommendation to bring it back/);
      assert.equal(
        (await coordinator.postForm(`${base()}/actions/${other}/restore`, {})).statusCode,
        403,
        'an action comes back with its recommendation',
      );
      assert.equal((await coordinator.postForm(`${base()}/recommendations/1.4/restore`, {})).statusCode, 303);
      assert.equal(await actionsInPlan(), before);
      assert.equal((await actionRow(other)).archived_at, null);
      const trail = await db()
        .selectFrom('audit_events')
        .select(['entity_type', 'action'])
        .where('review_id', '=', reviewId)
        .where('action', 'in', ['archived', 'restored'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        trail.map((e) => `${e.entity_type} ${e.action}`),
        [
          'action archived',
          'action restored',
          'recommendation archived',
          'action archived',
          'action archived',
          'recommendation restored',
          'action restored',
          'action restored',
        ],
      );
    });

    it('shows text people typed as text, never as markup', async () => {
      const res = await newAction(coordinator, {
        actionText: '<script>alert("owned")</script> Check the form.',
        agencyText: '<b>Bold</b> agency',
      });
      assert.equal(res.statusCode, 303);
      const id = await newestAction();
      for (const page of [`${base()}/recommendations/1.1`, `${base()}/actions/${id}/edit`]) {
        const html = (await coordinator.get(page)).body;
        assert.doesNotMatch(html, /<script>alert/, page);
        assert.doesNotMatch(html, /<b>Bold<\/b>/, page);
        assert.match(html, /&lt;script&gt;alert\(&quot;owned&quot;\)&lt;\/script&gt; Check the form\./, page);
      }
    });

    it('refuses a form or API call without the CSRF token, and saves nothing', async () => {
      const res = await coordinator.postForm(
        `${base()}/recommendations/1.1/actions/new`,
        actionForm({ actionText: 'Sent from another site.' }),
        { csrf: false },
      );
      assert.equal(res.statusCode, 403);
      assert.match(visibleText(res.body), /The form has expired or did not come from Clasp/);
      const api = await coordinator.sendJson(
        'POST',
        `/api${base()}/recommendations/1.1/actions`,
        { actionText: 'Sent from another site.', organisationIds: [trust], dueDate: '2027-03-31' },
        { csrf: false },
      );
      assert.equal(api.statusCode, 403);
      const found = await db()
        .selectFrom('actions')
        .select('id')
        .where('action_text', '=', 'Sent from another site.')
        .execute();
      assert.equal(found.length, 0);
    });

    it('offers the same edits as JSON, with the same checks', async () => {
      const created = await editor.sendJson('POST', `/api${base()}/recommendations/1.1/actions`, {
        agencyText: 'Emergency department',
        organisationIds: [trust],
        actionText: 'Add the prompt.',
        leadText: 'Matron',
        dateWords: 'Quarter 3 2026/27',
        measure: 'Prompt in use.',
      });
      assert.equal(created.statusCode, 201);
      const { action, notes } = created.json();
      assert.equal(action.dueDate, '2026-12-31');
      assert.equal(action.recommendationNumber, '1.1');
      assert.equal(action.version, 1);
      assert.equal(notes.dueDateSource, 'read');
      assert.deepEqual(notes.smart, []);

      const bad = await editor.sendJson('POST', `/api${base()}/recommendations/1.1/actions`, {
        organisationIds: [council],
        actionText: '',
        dueDate: '31/03/2027',
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json().errors, [
        {
          field: 'organisationIds',
          message: 'Select at least one of your own organisations: Testshire Hospitals NHS Foundation Trust',
        },
        { field: 'actionText', message: 'Enter the action' },
        { field: 'dueDate', message: 'Enter the date the action is due in numbers, for example 31 3 2027' },
      ]);
      // An agreed due date moves only by the coordinator's agreement (docs/editing.md, revised due dates).
      const moved = await editor.sendJson('PUT', `/api${base()}/actions/${action.id}`, {
        ...action,
        actionText: 'Add the prompt and train staff.',
        dueDate: '2027-01-15',
      });
      assert.equal(moved.statusCode, 400);
      assert.match(moved.body, /To move it, use \\"Propose a new date\\" on the action page/);
      const updated = await coordinator.sendJson('PUT', `/api${base()}/actions/${action.id}`, {
        ...action,
        actionText: 'Add the prompt and train staff.',
        dueDate: '2027-01-15',
        dueDateReason: 'Agreed at the safeguarding board.',
      });
      assert.equal(updated.statusCode, 200);
      assert.equal(updated.json().action.version, 2);
      assert.equal((await actionRow(action.id)).due_date, '2027-01-15');
      assert.equal(
        (
          await editor.sendJson('PUT', `/api${base()}/actions/${action.id}`, {
            actionText: 'No version.',
            organisationIds: [trust],
            dueDate: '2027-01-15',
          })
        ).statusCode,
        400,
      );

      const review = await coordinator.sendJson('POST', '/api/reviews', {
        area: 'Jsonford',
        reviewStart: '2025-01-13',
        reviewEnd: '2025-01-17',
        reportPublished: '2025-03-03',
        leadOrganisationId: icb,
        organisationIds: [icb, trust],
        ratingScale: 'BRAG',
      });
      assert.equal(review.statusCode, 201);
      const newReview = review.json().review.id;
      const group = await coordinator.sendJson('POST', `/api/reviews/${newReview}/groups`, {
        number: 1,
        heading: 'Both should:',
        organisationIds: [icb, trust],
      });
      assert.equal(group.statusCode, 201);
      const rec = await coordinator.sendJson('POST', `/api/reviews/${newReview}/recommendations`, {
        number: '1.1',
        groupId: group.json().group.id,
        text: 'Do it.',
      });
      assert.equal(rec.statusCode, 201);
      const finding = await coordinator.sendJson('POST', `/api/reviews/${newReview}/findings`, {
        number: '2.3',
        section: 'Emergency care',
        text: 'Seen.',
        kind: 'good_practice',
        publicHealth: true,
        recommendationIds: [rec.json().recommendation.id],
      });
      assert.equal(finding.statusCode, 201);
      assert.equal(finding.json().finding.section, 'Emergency care');
      assert.equal(finding.json().finding.publicHealth, true);
      const dup = await coordinator.sendJson('POST', `/api/reviews/${newReview}/recommendations`, {
        number: '1.1.',
        groupId: group.json().group.id,
        text: 'Again.',
      });
      assert.deepEqual(dup.json().errors, [
        { field: 'number', message: 'Recommendation 1.1 already exists in this review' },
      ]);
      assert.equal((await outsider.sendJson('POST', `/api/reviews/${newReview}/findings`, {})).statusCode, 404);
    });
  });
}
