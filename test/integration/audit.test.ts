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
import { addMember, createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { recordAudit, type AuditEntry } from '../../src/platform/audit.ts';
import type { Db, Trx } from '../../src/platform/db/database.ts';

/* The audit trail: an action's history for every reader of the review, the review's whole
   trail for its coordinators and administrators, and a database that refuses to rewrite it. */

/** A change and its audit event in one transaction, as the app makes them, at a chosen instant. */
async function audited(db: Db, at: string, entry: AuditEntry, change?: (trx: Trx) => Promise<void>) {
  await db.transaction().execute(async (trx) => {
    if (change) await change(trx);
    await recordAudit(trx, entry, new Date(at));
  });
}

/** Position of each text in the page, asserting each is there. */
function positions(text: string, parts: string[]): number[] {
  return parts.map((p) => {
    const i = text.indexOf(p);
    assert.ok(i >= 0, `the page shows "${p}"`);
    return i;
  });
}

for (const target of databaseTargets) {
  describe(`audit trail on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let otherReviewId: number;
    let trust: number;
    let ccg: number;
    let actionId: number;
    let otherActionId: number;
    let otherReviewActionId: number;
    let coordinator: Client;
    let editor: Client;
    let viewer: Client;
    let reviewer: Client;
    let outsider: Client;
    let nurse: { id: number; name: string };
    let manager: { id: number; name: string };

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      trust = await createOrganisation(db, { name: 'Auditshire Hospitals NHS Trust', kind: 'nhs_trust' });
      ccg = await createOrganisation(db, { name: 'NHS Auditshire ICB', kind: 'commissioner' });
      reviewId = await createReview(db, {
        area: 'Auditshire',
        leadOrganisationId: ccg,
        coveredOrganisationIds: [trust, ccg],
      });
      otherReviewId = await createReview(db, { area: 'Elsewhere' });
      const group = await createGroup(db, reviewId, 1, [trust]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId: rec, organisationIds: [trust], position: 1 });
      otherActionId = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust],
        position: 2,
      });
      const otherGroup = await createGroup(db, otherReviewId, 1, [trust]);
      const otherRec = await createRecommendation(db, { reviewId: otherReviewId, groupId: otherGroup, number: '1.1' });
      otherReviewActionId = await createAction(db, {
        reviewId: otherReviewId,
        recommendationId: otherRec,
        organisationIds: [trust],
      });

      coordinator = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: ccg, role: 'coordinator', name: 'Cora Coordinator' }),
      );
      editor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'editor' }));
      viewer = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'viewer' }));
      reviewer = new Client(t.app, await signedInMember(db, { reviewId, organisationId: ccg, role: 'reviewer' }));
      outsider = new Client(
        t.app,
        await signedInMember(db, { reviewId: otherReviewId, organisationId: trust, role: 'coordinator' }),
      );
      nurse = { id: await createUser(db, { name: 'Nia Nurse' }), name: 'Nia Nurse' };
      manager = { id: await createUser(db, { name: 'Mo Manager' }), name: 'Mo Manager' };
      await addMember(db, { userId: nurse.id, reviewId, organisationId: trust, role: 'editor' });
      await addMember(db, { userId: manager.id, reviewId, organisationId: ccg, role: 'reviewer' });

      const byNurse = { actor: nurse.name, userId: nurse.id, organisationId: trust, reviewId, actionId };
      // 1 July 2026 is in British Summer Time: 09:30 UTC is 10:30am in England.
      await audited(
        db,
        '2026-07-01T09:30:00Z',
        {
          ...byNurse,
          entityType: 'progress_update',
          entityId: 1,
          action: 'created',
          after: { progressOn: '2026-06-30', text: 'Draft <script>alert(1)</script> written' },
        },
        async (trx) => {
          await trx
            .insertInto('progress_updates')
            .values({
              review_id: reviewId,
              action_id: actionId,
              progress_on: '2026-06-30',
              text: 'Draft <script>alert(1)</script> written',
              author_user_id: nurse.id,
              author_name: nurse.name,
              proposed_rating: null,
              is_illustrative: 0,
              created_at: '2026-07-01T09:30:00Z',
            })
            .execute();
        },
      );
      await audited(db, '2026-08-03T08:00:00Z', {
        ...byNurse,
        entityType: 'evidence',
        entityId: 7,
        action: 'created',
        after: { title: 'Audit report', kind: 'note', effectiveOn: '2026-07-31' },
      });
      await audited(db, '2026-08-10T15:45:00Z', {
        actor: manager.name,
        userId: manager.id,
        organisationId: ccg,
        reviewId,
        actionId,
        entityType: 'evidence',
        entityId: 7,
        action: 'accepted',
        before: { status: 'submitted' },
        after: { status: 'accepted' },
      });
      await audited(db, '2026-09-01T12:00:00Z', {
        actor: manager.name,
        userId: manager.id,
        organisationId: ccg,
        reviewId,
        actionId,
        entityType: 'rating_event',
        entityId: 3,
        action: 'created',
        after: { kind: 'agreed', rating: 'blue', rationale: 'Audit seen.' },
      });
      // An event about the action row written without action_id still belongs to its history.
      await audited(db, '2026-10-01T10:00:00Z', {
        actor: nurse.name,
        userId: nurse.id,
        organisationId: trust,
        reviewId,
        entityType: 'action',
        entityId: actionId,
        action: 'moved',
        after: { direction: 'up' },
      });
      // 23 November 2026 is in Greenwich Mean Time: 14:05 UTC is 2:05pm in England.
      await audited(
        db,
        '2026-11-23T14:05:00Z',
        {
          ...byNurse,
          entityType: 'action',
          entityId: actionId,
          action: 'updated',
          before: { due_date: '2027-03-31', measure: 'Old measure' },
          after: { due_date: '2027-06-30', measure: 'Old measure' },
        },
        async (trx) => {
          await trx
            .updateTable('actions')
            .set({ due_date: '2027-06-30', version: 2 })
            .where('id', '=', actionId)
            .execute();
        },
      );
      await audited(db, '2026-09-15T10:00:00Z', {
        ...byNurse,
        actionId: otherActionId,
        entityType: 'progress_update',
        entityId: 2,
        action: 'created',
        after: { text: 'Someone else’s action' },
      });
      await audited(db, '2026-09-16T10:00:00Z', {
        actor: 'Cora Coordinator',
        reviewId: otherReviewId,
        actionId: otherReviewActionId,
        entityType: 'action',
        entityId: otherReviewActionId,
        action: 'updated',
        before: { measure: 'a' },
        after: { measure: 'b' },
      });
    });

    after(async () => t.close());

    it("shows an action's history newest first, in plain English, with when, who and what changed", async () => {
      const res = await viewer.get(`/reviews/${reviewId}/actions/${actionId}/history`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /History of action 1 of recommendation 1\.1/);
      const order = positions(text, [
        'Changed the action',
        'Moved the action up',
        'Agreed the rating Blue',
        'Accepted evidence',
        'Added evidence "Audit report"',
        'Posted a progress update',
      ]);
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        'newest first',
      );
      assert.match(text, /23 November 2026 at 2:05pm by Nia Nurse, Auditshire Hospitals NHS Trust/);
      assert.match(text, /1 July 2026 at 10:30am by Nia Nurse/);
      assert.match(text, /10 August 2026 at 4:45pm by Mo Manager, NHS Auditshire ICB/);
      // The update shows only what changed, as before and after.
      assert.match(text, /What changed Field Before After Due date 31 March 2027 30 June 2027/);
      assert.doesNotMatch(text, /Measure Old measure/);
      // A creation shows the values it recorded.
      assert.match(text, /Values recorded Field Value Title Audit report Kind note Effective on 31 July 2026/);
      assert.match(text, /6 changes recorded, newest first/);
      assert.doesNotMatch(text, /Someone else’s action/, 'events of other actions are not listed');
      assert.ok(res.body.includes(`href="/reviews/${reviewId}/actions/${actionId}"`), 'links back to the action');
    });

    it('escapes what people typed and never shows the stored JSON', async () => {
      const res = await viewer.get(`/reviews/${reviewId}/actions/${actionId}/history`);
      assert.ok(res.body.includes('Draft &lt;script&gt;alert(1)&lt;/script&gt; written'));
      assert.ok(!res.body.includes('<script>alert(1)'));
      assert.ok(
        !res.body.includes('{&quot;') && !res.body.includes('"due_date"') && !res.body.includes('&quot;due_date&quot;'),
        'no raw JSON',
      );
    });

    it('lets every reader of the review see the history, and nobody else', async () => {
      for (const client of [coordinator, editor, viewer, reviewer, await t.admin()]) {
        assert.equal((await client.get(`/reviews/${reviewId}/actions/${actionId}/history`)).statusCode, 200);
      }
      assert.equal((await outsider.get(`/reviews/${reviewId}/actions/${actionId}/history`)).statusCode, 404);
      // An action of another review is not found under this one.
      assert.equal((await viewer.get(`/reviews/${reviewId}/actions/${otherReviewActionId}/history`)).statusCode, 404);
      assert.equal((await viewer.get(`/reviews/${reviewId}/actions/999999/history`)).statusCode, 404);
    });

    it('gives the history as JSON, newest first', async () => {
      const res = await viewer.getJson(`/api/reviews/${reviewId}/actions/${actionId}/history`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.action.label, 'Action 1 of recommendation 1.1');
      assert.equal(body.events.length, 6);
      assert.equal(body.events[0].description, 'Changed the action');
      assert.deepEqual(body.events[0].before, { due_date: '2027-03-31', measure: 'Old measure' });
      assert.equal(body.events[0].organisation.name, 'Auditshire Hospitals NHS Trust');
      assert.equal(body.events.at(-1).description, 'Posted a progress update');
      assert.equal((await outsider.getJson(`/api/reviews/${reviewId}/actions/${actionId}/history`)).statusCode, 404);
    });

    it("refuses the review's trail to editors, viewers and reviewers, and hides it from non-members", async () => {
      for (const client of [editor, viewer, reviewer]) {
        const page = await client.get(`/reviews/${reviewId}/audit`);
        assert.equal(page.statusCode, 403);
        assert.match(visibleText(page.body), /coordinators and system administrators/);
        assert.equal((await client.getJson(`/api/reviews/${reviewId}/audit`)).statusCode, 403);
      }
      assert.equal((await outsider.get(`/reviews/${reviewId}/audit`)).statusCode, 404);
      assert.equal((await outsider.getJson(`/api/reviews/${reviewId}/audit`)).statusCode, 404);
      assert.equal((await t.anonymous.get(`/reviews/${reviewId}/audit`)).statusCode, 303);
    });

    const trailForCoordinators =
      "shows the review's trail to its coordinators and administrators, newest first, linked to each record";
    it(trailForCoordinators, async () => {
      for (const client of [coordinator, await t.admin()]) {
        const res = await client.get(`/reviews/${reviewId}/audit`);
        assert.equal(res.statusCode, 200);
        const text = visibleText(res.body);
        assert.match(text, /Audit trail/);
        assert.match(text, /7 events, newest first/);
        const order = positions(text, [
          'Changed the action',
          'Moved the action up',
          'Someone else’s action',
          'Agreed the rating Blue',
        ]);
        assert.deepEqual(
          [...order].sort((a, b) => a - b),
          order,
        );
        assert.doesNotMatch(text, /Measure a b/, "another review's events are not listed");
        assert.ok(
          res.body.includes(`<a href="/reviews/${reviewId}/actions/${actionId}">Action 1 of recommendation 1.1</a>`),
        );
        assert.ok(
          res.body.includes(
            `<a href="/reviews/${reviewId}/actions/${otherActionId}">Action 2 of recommendation 1.1</a>`,
          ),
        );
        assert.ok(res.body.includes('Draft &lt;script&gt;alert(1)&lt;/script&gt; written'));
        assert.ok(!res.body.includes('<script>alert(1)'));
      }
    });

    it('narrows the trail by person, organisation, kind of record, what happened and dates', async () => {
      const count = async (query: string) => {
        const res = await coordinator.get(`/reviews/${reviewId}/audit?${query}`);
        assert.equal(res.statusCode, 200, query);
        const api = await coordinator.getJson(`/api/reviews/${reviewId}/audit?${query}`);
        assert.equal(api.statusCode, 200, query);
        return {
          text: visibleText(res.body),
          html: res.body,
          total: api.json().total as number,
          events: api.json().events as { description: string }[],
        };
      };
      const everyone = await count('');
      assert.equal(everyone.total, 7);
      // The person list holds the people who appear in the trail.
      assert.match(everyone.html, new RegExp(`<option value="${manager.id}"\\s*>Mo Manager</option>`));

      const byManager = await count(`person=${manager.id}`);
      assert.equal(byManager.total, 2);
      assert.deepEqual(
        byManager.events.map((e) => e.description),
        ['Agreed the rating Blue', 'Accepted evidence'],
      );
      assert.match(
        byManager.html,
        new RegExp(`<option value="${manager.id}" selected>Mo Manager</option>`),
        'the chosen person stays selected',
      );
      assert.match(byManager.text, /Clear filters/);

      assert.equal((await count(`organisation=${ccg}`)).total, 2);
      assert.equal((await count(`organisation=${trust}`)).total, 5);

      const evidence = await count('type=evidence');
      assert.deepEqual(
        evidence.events.map((e) => e.description),
        ['Accepted evidence', 'Added evidence "Audit report"'],
      );
      assert.match(evidence.html, /<option value="evidence" selected>Evidence<\/option>/);

      const created = await count('action=created');
      assert.equal(created.total, 4);
      assert.equal((await count('type=progress_update&action=created')).total, 2);
      assert.equal((await count(`type=evidence&person=${nurse.id}`)).total, 1);

      // Days are England's days: 1 July includes 10:30am BST (09:30 UTC) and 30 June does not.
      const july1 = await count('from-day=1&from-month=7&from-year=2026&to-day=1&to-month=7&to-year=2026');
      assert.deepEqual(
        july1.events.map((e) => e.description),
        ['Posted a progress update'],
      );
      assert.equal((await count('to-day=30&to-month=6&to-year=2026')).total, 0);
      assert.equal((await count('from-day=1&from-month=9&from-year=2026')).total, 4);
      assert.equal((await count('from-day=1&from-month=8&from-year=2026&to-day=31&to-month=8&to-year=2026')).total, 2);
      // Scripts may give dates as YYYY-MM-DD.
      const api = await coordinator.getJson(`/api/reviews/${reviewId}/audit?from=2026-09-01&to=2026-09-30`);
      assert.equal(api.json().total, 2);
      assert.match((await count('person=999999')).text, /No events match these filters/);
    });

    it('explains dates it cannot use, in the error summary and beside the field', async () => {
      const cases: [string, RegExp][] = [
        ['from-day=31&from-month=2&from-year=2026', /The date to show from must be a real date, for example 31 3 2027/],
        ['from-day=1&from-year=2026', /The date to show from must include a month/],
        ['to-day=1&to-month=x&to-year=2026', /Enter the date to show up to in numbers, for example 31 3 2027/],
        [
          'from-day=2&from-month=8&from-year=2026&to-day=1&to-month=8&to-year=2026',
          /The date to show up to must be the same as or after the date to show from/,
        ],
      ];
      for (const [query, message] of cases) {
        const res = await coordinator.get(`/reviews/${reviewId}/audit?${query}`);
        assert.equal(res.statusCode, 400, query);
        assert.match(res.body, /<title>Error: Audit trail/);
        const text = visibleText(res.body);
        assert.match(text, /There is a problem/);
        const summary = /There is a problem(.*?)Audit trail/.exec(text)?.[1] ?? '';
        assert.match(summary, message, `the error summary says what to do for ${query}`);
        assert.ok(/href="#(from|to)-day"/.test(res.body), 'the summary links to the day box');
        assert.match(res.body, /nhsuk-error-message/, 'the message is shown beside the field too');
        assert.doesNotMatch(text, /events, newest first/, 'nothing is listed until the dates are put right');
        // What was typed is kept.
        assert.ok(res.body.includes(`value="${/from-day=(\d+)/.exec(query)?.[1] ?? /to-day=(\d+)/.exec(query)?.[1]}"`));
      }
      const api = await coordinator.getJson(`/api/reviews/${reviewId}/audit?from=2026-02-31`);
      assert.equal(api.statusCode, 400);
      assert.equal(api.json().errors[0].field, 'from');
    });

    it('pages a long trail 50 events at a time, keeping the filters', async () => {
      const busy = await createReview(db, { area: 'Busyshire' });
      const person = await createUser(db, { name: 'Busy Bee' });
      await addMember(db, { userId: person, reviewId: busy, organisationId: trust, role: 'coordinator' });
      const client = new Client(t.app, await sessionFor(db, person));
      for (let i = 0; i < 120; i++) {
        const at = new Date(Date.UTC(2026, 0, 1, 9, 0) + i * 3_600_000).toISOString();
        await audited(db, at, {
          actor: 'Busy Bee',
          userId: person,
          reviewId: busy,
          entityType: 'review',
          entityId: busy,
          action: 'updated',
          before: { n: i },
          after: { n: i + 1 },
        });
      }
      await audited(db, '2026-01-01T00:00:00Z', {
        actor: 'Someone Else',
        reviewId: busy,
        entityType: 'review',
        entityId: busy,
        action: 'created',
      });

      const first = await client.get(`/reviews/${busy}/audit?person=${person}`);
      assert.equal(first.statusCode, 200);
      let text = visibleText(first.body);
      assert.match(text, /Showing 1 to 50 of 120 events, newest first/);
      assert.equal((first.body.match(/aria-hidden="true">When <\/span>/g) ?? []).length, 50, '50 events on the page');
      const nextHref = /nhsuk-pagination__link--next" href="([^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
      assert.equal(nextHref, `/reviews/${busy}/audit?person=${person}&page=2`, 'Next keeps the filters');
      assert.match(text, /Next page : Page 2 of 3/);
      assert.doesNotMatch(first.body, /nhsuk-pagination__link--prev/);
      // The newest event (the 120th change) comes first.
      assert.match(
        text,
        new RegExp(
          /When Who What happened Record 6 January 2026 at 8:00am Busy Bee Changed the review details /.source +
            /What changed What changed Field Before After N 119 120 /.source +
            /Review details 6 January 2026 at 7:00am/.source,
        ),
      );

      const second = await client.get(nextHref);
      text = visibleText(second.body);
      assert.match(text, /Showing 51 to 100 of 120 events/);
      assert.match(text, /Previous page : Page 1 of 3 Next page : Page 3 of 3/);

      const third = await client.get(`/reviews/${busy}/audit?person=${person}&page=3`);
      text = visibleText(third.body);
      assert.match(text, /Showing 101 to 120 of 120 events/);
      assert.equal((third.body.match(/aria-hidden="true">When <\/span>/g) ?? []).length, 20);
      assert.doesNotMatch(third.body, /nhsuk-pagination__link--next/);
      assert.match(text, /Previous page : Page 2 of 3/);
      // A page past the end shows the last page.
      assert.match(
        visibleText((await client.get(`/reviews/${busy}/audit?person=${person}&page=9`)).body),
        /Showing 101 to 120 of 120 events/,
      );

      const api = await client.getJson(`/api/reviews/${busy}/audit?page=3`);
      assert.deepEqual(
        { total: api.json().total, page: api.json().page, pages: api.json().pages, count: api.json().events.length },
        { total: 121, page: 3, pages: 3, count: 21 },
      );
      assert.equal(api.json().events.at(-1).description, 'Created the review');
    });

    it('cannot have its events changed or deleted: the database refuses', async () => {
      const before = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      await assert.rejects(
        db.updateTable('audit_events').set({ actor: 'Someone else' }).where('review_id', '=', reviewId).execute(),
        /audit_events rows cannot be changed/,
      );
      await assert.rejects(
        db.updateTable('audit_events').set({ after: null }).execute(),
        /audit_events rows cannot be changed/,
      );
      await assert.rejects(
        db.deleteFrom('audit_events').where('review_id', '=', reviewId).execute(),
        /audit_events rows cannot be changed/,
      );
      await assert.rejects(db.deleteFrom('audit_events').execute(), /audit_events rows cannot be changed/);
      const afterwards = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterwards.n), Number(before.n));
      const names = await db.selectFrom('audit_events').select('actor').where('actor', '=', 'Someone else').execute();
      assert.equal(names.length, 0);
    });
  });
}
