import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { sessionFor, createUser, addMember } from '../helpers/people.ts';
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

/*
 * The review overview at a glance (issue 13, section 3): due position, counts by rating and by
 * exception kind, the person's My work, what changed since the last issued version; and the
 * exception list split into what needs chasing and the plan's gaps, filtered by plain GET.
 * Today is 23 November 2026 (TEST_TODAY).
 */

/** The text from one heading to the next of the same or a higher level. */
function sectionText(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  assert.ok(start >= 0, `"${from}" is on the page`);
  const end = text.indexOf(to, start + from.length);
  return text.slice(start, end < 0 ? undefined : end);
}

for (const target of databaseTargets) {
  describe(`the review overview at a glance, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let trust: number;
    let council: number;
    let overdueAction: number;
    let coordinator: Client;
    let editor: Client;
    let url: string;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const icb = await createOrganisation(db, { name: 'NHS Glanceshire ICB', kind: 'commissioner' });
      trust = await createOrganisation(db, { name: 'Glanceshire Hospitals NHS Trust', kind: 'nhs_trust' });
      council = await createOrganisation(db, { name: 'Glanceshire Council', kind: 'local_authority' });
      // Received Monday 9 November 2026: 20 working days later is Monday 7 December 2026.
      reviewId = await createReview(db, {
        area: 'Glanceshire',
        published: '2026-11-09',
        received: '2026-11-09',
        leadOrganisationId: icb,
        coveredOrganisationIds: [icb, trust, council],
      });
      url = `/reviews/${reviewId}`;
      const group = await createGroup(db, reviewId, 1, [icb, trust, council]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      await createFinding(db, { reviewId, number: '2.4', text: 'Nobody checks the register.', kind: 'concern' });
      // Amber, overdue and stale: the trust's, led by the named nurse.
      overdueAction = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust],
        lead: 'Named nurse',
        dueDate: '2026-10-31',
        dateWords: '31 October 2026',
        createdOn: '2026-06-01',
        position: 1,
      });
      await addRating(db, { reviewId, actionId: overdueAction, kind: 'agreed', rating: 'amber', on: '2026-06-10' });
      // Blue with no evidence: shared by the trust and the council, led by the designated nurse.
      const blue = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [trust, council],
        lead: 'Designated nurse',
        position: 2,
      });
      await addProgress(db, { reviewId, actionId: blue, on: '2026-11-02', text: 'Done.' });
      await addRating(db, { reviewId, actionId: blue, kind: 'agreed', rating: 'blue', on: '2026-11-03' });
      // Fresh evidence of its completion is due next year: nothing about lasting assurance to chase yet.
      await db.updateTable('actions').set({ reassurance_due_on: '2027-05-31' }).where('id', '=', blue).execute();
      // Green proposed and not yet decided, with no evidence: the council's.
      const green = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [council],
        lead: 'Designated  nurse',
        position: 3,
      });
      await addProgress(db, { reviewId, actionId: green, on: '2026-11-10', text: 'On track.' });
      await addRating(db, { reviewId, actionId: green, kind: 'proposed', rating: 'green', on: '2026-11-10' });
      // No lead named: not SMART, and not rated.
      const unled = await createAction(db, {
        reviewId,
        recommendationId: rec,
        organisationIds: [council],
        lead: '',
        position: 4,
      });
      await addProgress(db, { reviewId, actionId: unled, on: '2026-11-12', text: 'Started.' });
      // Evidence on another action keeps the counts honest: accepted evidence on the unled action.
      await addNoteEvidence(db, { reviewId, actionId: unled, title: 'Terms of reference', on: '2026-11-12' });

      const person = async (role: 'coordinator' | 'editor', organisationId: number) => {
        const userId = await createUser(db, { name: `Glanceshire ${role}` });
        await addMember(db, { userId, reviewId, organisationId, role });
        return new Client(t.app, await sessionFor(db, userId));
      };
      coordinator = await person('coordinator', icb);
      editor = await person('editor', trust);
    });

    after(async () => t.close());

    it('shows the due position, counts by rating and by exception kind at the top', async () => {
      const res = await (await t.admin()).get(url);
      assert.equal(res.statusCode, 200);
      const glance = sectionText(visibleText(res.body), 'At a glance', 'Contents');
      assert.match(glance, /Action plan Due 7 December 2026: 10 working days left, not sent yet\./);
      assert.match(glance, /Ratings of the 4 actions Blue 1 Green 1 Amber 1 Red 0 Not rated 1/);
      assert.match(
        sectionText(glance, 'Needs chasing', 'Gaps in the plan'),
        new RegExp(
          'Needs chasing Overdue: 1 No recent progress: 1 ' +
            'Rated Green or Blue without accepted evidence: 2 Ratings awaiting a decision: 1 $',
        ),
      );
      assert.match(
        sectionText(glance, 'Gaps in the plan', 'Changes since'),
        new RegExp(
          'Gaps in the plan Not SMART: 1 Addressed organisation with no action of its own: 1 ' +
            'Concern with no recommendation: 1 $',
        ),
      );
      assert.match(res.body, new RegExp(`href="${url}\\?kind=overdue#exceptions"`));
      assert.match(res.body, new RegExp(`href="${url}\\?kind=concern_without_recommendation#exceptions"`));
      assert.match(
        res.body,
        /<a href="#ratings-by-recommendation"><strong class="nhsuk-tag[^"]*"[^>]*>Blue<\/strong> 1<\/a>/,
      );
      // An administrator has no role here, so no work of their own in it.
      assert.doesNotMatch(glance, /My work/);
      assert.match(glance, /No version of this plan has been issued yet, so there is nothing to compare with\./);
    });

    it('shows the person their My work count for this review, linking to My work', async () => {
      const page = await editor.get(url);
      const glance = sectionText(visibleText(page.body), 'At a glance', 'Contents');
      const count = Number(/My work (\d+) items? for you in this review/.exec(glance)?.[1]);
      assert.ok(count >= 1, `the trust's editor has the overdue action to see to: ${glance}`);
      assert.match(page.body, /<a href="\/my-work">\d+ items? for you in this review<\/a>/);
      // The same page for another person with other work is not the editor's copy.
      const other = sectionText(visibleText((await coordinator.get(url)).body), 'At a glance', 'Contents');
      assert.match(other, /My work (Nothing waits for you|\d+ items? for you) in this review/);
      const again = sectionText(visibleText((await editor.get(url)).body), 'At a glance', 'Contents');
      assert.match(again, new RegExp(`My work ${count} items? for you in this review`));
    });

    it('lists what needs chasing apart from the gaps in the plan', async () => {
      const text = visibleText((await (await t.admin()).get(url)).body);
      const exceptions = sectionText(text, 'Exceptions As of', 'Version control');
      assert.match(exceptions, /Showing 8 of 8 exceptions\./);
      const chasing = sectionText(exceptions, 'Needs chasing (5)', 'Gaps in the plan');
      const gaps = sectionText(exceptions, 'Gaps in the plan (3)', 'Version control');
      assert.match(chasing, /Overdue \(1\) Action 1 of recommendation 1\.1: Due 31 October 2026/);
      assert.match(chasing, /No recent progress \(1\)/);
      assert.match(chasing, /Rated Green or Blue without accepted evidence \(2\)/);
      assert.match(chasing, /Ratings awaiting a decision \(1\) Action 3 of recommendation 1\.1/);
      assert.doesNotMatch(chasing, /Not SMART|no action of its own|Finding 2\.4/);
      assert.match(gaps, /Not SMART \(1\) Action 4 of recommendation 1\.1: Not SMART: no lead is named\./);
      assert.match(gaps, /NHS Glanceshire ICB is addressed by recommendation 1\.1 but has no action of its own\./);
      assert.match(gaps, /Concern with no recommendation \(1\) Finding 2\.4/);
      assert.doesNotMatch(gaps, /Overdue|Ratings awaiting/);
    });

    it('filters by kind, organisation and lead with a plain GET form', async () => {
      const admin = await t.admin();
      const form = (await admin.get(url)).body;
      assert.match(form, new RegExp(`<form method="get" action="${url}#exceptions" novalidate>`));
      for (const name of ['kind', 'organisation', 'lead'])
        assert.match(form, new RegExp(`<select class="nhsuk-select" id="filter-${name}" name="${name}"`));
      assert.doesNotMatch(form, /Clear filters/);

      const cases: { query: string; showing: string; shown: RegExp[]; notShown: RegExp[] }[] = [
        {
          query: 'kind=stale',
          showing: 'Showing 1 of 8 exceptions',
          shown: [/Needs chasing \(1\) No recent progress \(1\)/, /No gap in the plan matches the filters\./],
          notShown: [/Overdue \(/],
        },
        {
          query: `organisation=${council}`,
          showing: 'Showing 4 of 8 exceptions',
          shown: [/Rated Green or Blue without accepted evidence \(2\)/, /Not SMART \(1\)/],
          notShown: [/Overdue \(/, /Finding 2\.4/, /NHS Glanceshire ICB is addressed/],
        },
        {
          query: 'lead=Designated%20nurse',
          showing: 'Showing 3 of 8 exceptions',
          shown: [/Action 2 of recommendation 1\.1/, /Ratings awaiting a decision \(1\) Action 3/],
          notShown: [/Action 1 of recommendation 1\.1/, /Not SMART \(/],
        },
        {
          query: `kind=unevidenced&organisation=${trust}&lead=Designated+nurse`,
          showing: 'Showing 1 of 8 exceptions',
          shown: [/Rated Green or Blue without accepted evidence \(1\) Action 2 of recommendation 1\.1: Rated Blue/],
          notShown: [/Action 3 of recommendation 1\.1:/],
        },
      ];
      for (const c of cases) {
        const res = await admin.get(`${url}?${c.query}`);
        assert.equal(res.statusCode, 200, c.query);
        const exceptions = sectionText(visibleText(res.body), 'Exceptions As of', 'Version control');
        assert.match(exceptions, new RegExp(`${c.showing}\\.`), c.query);
        for (const re of c.shown) assert.match(exceptions, re, c.query);
        for (const re of c.notShown) assert.doesNotMatch(exceptions, re, c.query);
        assert.match(res.body, new RegExp(`<a href="${url}#exceptions">Clear filters</a>`), c.query);
      }
      // The form keeps what was chosen.
      const chosen = (await admin.get(`${url}?kind=stale&organisation=${trust}&lead=Named+nurse`)).body;
      assert.match(chosen, /<option value="stale" selected>/);
      assert.match(chosen, new RegExp(`<option value="${trust}" selected>`));
      assert.match(chosen, /<option value="Named nurse" selected>/);
      // The unfiltered page is not the filtered one kept in memory.
      assert.match(visibleText((await admin.get(url)).body), /Showing 8 of 8 exceptions\./);
    });

    it('says which filters it could not use and shows every exception instead', async () => {
      const res = await (await t.admin()).get(`${url}?kind=urgent&organisation=999999&lead=Nobody&kind=`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /Showing 8 of 8 exceptions\./);
      assert.match(text, /The organisation in the address takes no part in this plan/);
      assert.match(text, /No action in this plan has the lead in the address/);
      // A field given twice counts as its last: here empty, so not given.
      assert.doesNotMatch(text, /The kind of exception in the address is not one Clasp knows/);
      const kind = visibleText((await (await t.admin()).get(`${url}?kind=%3Cb%3Eurgent`)).body);
      assert.match(
        kind,
        /The kind of exception in the address is not one Clasp knows, so exceptions of every kind are shown\./,
      );
      const blank = await (await t.admin()).get(`${url}?kind=&organisation=&lead=`);
      assert.match(visibleText(blank.body), /Showing 8 of 8 exceptions\./);
      assert.doesNotMatch(blank.body, /Clear filters/);
    });

    it('filters the JSON API the same way, adding fields only', async () => {
      const admin = await t.admin();
      const all = (await admin.get(`/api/reviews/${reviewId}`)).json();
      assert.equal(all.exceptions.length, 8);
      assert.equal(all.exceptionsTotal, 8);
      assert.deepEqual(all.exceptionFilters, { kind: null, organisation: null, lead: null });
      const overdue = all.exceptions.find((e: { kind: string }) => e.kind === 'overdue');
      assert.deepEqual(overdue.organisationIds, [String(trust)]);
      assert.equal(overdue.lead, 'Named nurse');
      assert.equal(overdue.subject.id, String(overdueAction));

      const filtered = await admin.get(`/api/reviews/${reviewId}?organisation=${council}&lead=Designated%20nurse`);
      assert.equal(filtered.statusCode, 200);
      assert.deepEqual(
        filtered
          .json()
          .exceptions.map((e: { kind: string; subject: { label: string } }) => `${e.kind} ${e.subject.label}`),
        [
          'unevidenced Action 2 of recommendation 1.1',
          'unevidenced Action 3 of recommendation 1.1',
          'awaiting_decision Action 3 of recommendation 1.1',
        ],
      );
      assert.equal(filtered.json().exceptionsTotal, 8);

      const refused = await admin.get(`/api/reviews/${reviewId}?kind=urgent&organisation=999999`);
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(
        refused.json().errors.map((e: { field: string }) => e.field),
        ['kind', 'organisation'],
      );
      assert.match(refused.json().errors[0].message, /Choose a kind of exception: one of overdue, stale/);
    });

    it('says what changed since the last issued version, linking to the full comparison', async () => {
      const issued = await coordinator.postForm(`/reviews/${reviewId}/versions`, { purpose: 'cqc' });
      assert.equal(issued.statusCode, 303);
      const unchanged = sectionText(visibleText((await (await t.admin()).get(url)).body), 'At a glance', 'Contents');
      assert.match(
        unchanged,
        /Changes since version 1 \(23 November 2026\) Nothing has changed since version 1 was issued\./,
      );

      await addProgress(t.database.db, { reviewId, actionId: overdueAction, on: '2026-11-20', text: 'Audit done.' });
      await addRating(t.database.db, {
        reviewId,
        actionId: overdueAction,
        kind: 'agreed',
        rating: 'blue',
        on: '2026-11-21',
      });
      const res = await (await t.admin()).get(url);
      const glance = sectionText(visibleText(res.body), 'At a glance', 'Contents');
      assert.match(
        glance,
        /Changes since version 1 \(23 November 2026\) 1 rating changed 1 action now complete 1 new progress update/,
      );
      assert.match(
        res.body,
        new RegExp(`href="${url}/compare\\?from=1&amp;to=now">Compare version 1 with the plan now</a>`),
      );
      assert.match(glance, /Ratings of the 4 actions Blue 2 Green 1 Amber 0/);
    });
  });

  describe(`the due position of a plan already sent, on ${target.name}`, () => {
    let t: TestApp;
    after(async () => t.close());

    it('says whether it was sent on time', async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      // Received 3 March 2025: due 31 March 2025.
      const onTime = await createReview(db, { area: 'Ontimeshire' });
      const late = await createReview(db, { area: 'Lateshire' });
      const notSent = await createReview(db, { area: 'Notsentshire' });
      const unknown = await createReview(db, { area: 'Undatedshire', published: null, received: null });
      await db.updateTable('reviews').set({ plan_issued: '2025-03-28' }).where('id', '=', onTime).execute();
      await db.updateTable('reviews').set({ plan_issued: '2025-04-02' }).where('id', '=', late).execute();
      const glance = async (id: number) =>
        sectionText(visibleText((await (await t.admin()).get(`/reviews/${id}`)).body), 'At a glance', 'Contents');
      assert.match(await glance(onTime), /Action plan Sent 28 March 2025, on time \(due 31 March 2025\)\./);
      assert.match(await glance(late), /Action plan Sent 2 April 2025, 2 working days late \(due 31 March 2025\)\./);
      assert.match(await glance(notSent), /Action plan Due 31 March 2025 and not sent: \d+ working days overdue\./);
      assert.match(
        await glance(unknown),
        /Action plan The due date cannot be worked out until the date the report was received is recorded\./,
      );
    });
  });
}
