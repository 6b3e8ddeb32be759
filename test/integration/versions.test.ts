import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/platform/db/database.ts';
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
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import type { PlanComparison } from '../../src/domain/plan-comparison.ts';
import type { PlanSnapshot } from '../../src/domain/plan-snapshot.ts';

/*
 * Issued versions: issuing freezes the plan, later edits leave the version and its documents
 * exactly as issued, and the comparison reports a scripted sequence of edits.
 */

interface Plan {
  reviewId: number;
  trust: number;
  council: number;
  actionId: number;
  otherActionId: number;
  coordinator: Client;
  editor: Client;
  viewer: Client;
  outsider: Client;
}

async function makePlan(t: TestApp): Promise<Plan> {
  const db: Db = t.database.db;
  const icb = await createOrganisation(db, { kind: 'commissioner' });
  const trust = await createOrganisation(db, { kind: 'nhs_trust' });
  const council = await createOrganisation(db, { kind: 'local_authority' });
  const reviewId = await createReview(db, { leadOrganisationId: icb, coveredOrganisationIds: [icb, trust, council] });
  const elsewhere = await createReview(db, { leadOrganisationId: icb });
  const groupId = await createGroup(db, reviewId, 1, [trust, council]);
  const rec = await createRecommendation(db, {
    reviewId,
    groupId,
    number: '1.1',
    text: 'Improve the triage of children.',
  });
  const actionId = await createAction(db, {
    reviewId,
    recommendationId: rec,
    organisationIds: [trust],
    text: 'Add a triage prompt.',
    position: 1,
  });
  const otherActionId = await createAction(db, {
    reviewId,
    recommendationId: rec,
    organisationIds: [council],
    text: 'Share the triage audit.',
    position: 2,
  });
  await addProgress(db, { reviewId, actionId, on: '2026-10-01', text: 'Prompt drafted.' });
  await addRating(db, { reviewId, actionId, kind: 'agreed', rating: 'amber', on: '2026-10-05' });
  const person = async (role: 'coordinator' | 'editor' | 'viewer', organisationId: number, review = reviewId) => {
    const userId = await createUser(db, { name: `The ${role}` });
    await addMember(db, { userId, reviewId: review, organisationId, role });
    return new Client(t.app, await sessionFor(db, userId));
  };
  return {
    reviewId,
    trust,
    council,
    actionId,
    otherActionId,
    coordinator: await person('coordinator', icb),
    editor: await person('editor', trust),
    viewer: await person('viewer', icb),
    outsider: await person('coordinator', icb, elsewhere),
  };
}

async function issue(p: Plan, fields: Record<string, string>) {
  return p.coordinator.postForm(`/reviews/${p.reviewId}/versions`, fields);
}

/** Changes an action through the JSON API, as a script would: read it, send it back changed. */
async function editAction(client: Client, reviewId: number, actionId: number, changes: Record<string, unknown>) {
  const page = (await client.getJson(`/api/reviews/${reviewId}/actions/${actionId}`)).json();
  const a = page.action;
  const body = {
    version: a.version,
    agencyText: a.agency_text,
    actionText: a.action_text,
    leadText: a.lead_text,
    dateWords: a.date_words,
    dueDate: a.due_date,
    measure: a.measure,
    assurance: a.assurance,
    organisationIds: (page.organisations as { id: number }[]).map((o) => o.id),
    ...changes,
  };
  const res = await client.sendJson('PUT', `/api/reviews/${reviewId}/actions/${actionId}`, body);
  assert.equal(res.statusCode, 200, res.body);
}

async function documentOf(client: Client, url: string): Promise<Buffer> {
  const res = await client.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res.rawPayload;
}

for (const target of databaseTargets) {
  describe(`issued versions, on ${target.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
    });
    after(() => t.close());

    it('issues a version from the form, with its purpose, comment and recipients, and audits it', async () => {
      const p = await makePlan(t);
      const form = await p.coordinator.get(`/reviews/${p.reviewId}/versions/new`);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Submitted to CQC/);
      const res = await issue(p, {
        purpose: 'cqc',
        comment: 'Sent within 20 working days.',
        recipients: 'CQC; Testshire HWB',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/reviews/${p.reviewId}/versions/1`);
      const page = visibleText((await p.viewer.get(`/reviews/${p.reviewId}/versions/1`)).body);
      assert.match(page, /Version 1/);
      assert.match(page, /Submitted to CQC/);
      assert.match(page, /CQC; Testshire HWB/);
      assert.match(page, /Sent within 20 working days\./);
      const list = visibleText((await p.viewer.get(`/reviews/${p.reviewId}/versions`)).body);
      assert.match(list, /Submitted to CQC\. Sent to: CQC; Testshire HWB/);
      const audit = await t.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('review_id', '=', p.reviewId)
        .where('entity_type', '=', 'plan_version')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.action, 'issued');
      assert.equal(audit[0].actor, 'The coordinator');
    });

    it('numbers two versions issued at the same moment one after the other', async () => {
      const p = await makePlan(t);
      const both = await Promise.all([issue(p, { purpose: 'cqc' }), issue(p, { purpose: 'hwb' })]);
      assert.deepEqual(
        both.map((r) => r.statusCode),
        [303, 303],
      );
      assert.deepEqual(both.map((r) => String(r.headers.location)).sort(), [
        `/reviews/${p.reviewId}/versions/1`,
        `/reviews/${p.reviewId}/versions/2`,
      ]);
    });

    it('refuses a version without a purpose, or "other" without a comment, and writes nothing', async () => {
      const p = await makePlan(t);
      const none = await issue(p, { purpose: '', comment: '', recipients: '' });
      assert.equal(none.statusCode, 400);
      assert.match(visibleText(none.body), /There is a problem\s+Select what this version is for/);
      const other = await issue(p, { purpose: 'other', comment: ' ', recipients: 'x' });
      assert.equal(other.statusCode, 400);
      assert.match(visibleText(other.body), /Say in the comment what this version is for/);
      const api = await p.coordinator.sendJson('POST', `/api/reviews/${p.reviewId}/versions`, { purpose: 'board' });
      assert.equal(api.statusCode, 400);
      assert.equal(api.json().errors[0].field, 'purpose');
      const rows = await t.database.db
        .selectFrom('plan_versions')
        .select('id')
        .where('review_id', '=', p.reviewId)
        .execute();
      assert.equal(rows.length, 0);
    });

    it('lets only coordinators issue, and hides versions from people outside the review', async () => {
      const p = await makePlan(t);
      assert.equal((await p.editor.postForm(`/reviews/${p.reviewId}/versions`, { purpose: 'cqc' })).statusCode, 403);
      assert.equal((await p.viewer.get(`/reviews/${p.reviewId}/versions/new`)).statusCode, 403);
      assert.equal((await issue(p, { purpose: 'hwb' })).statusCode, 303);
      assert.equal((await p.viewer.get(`/reviews/${p.reviewId}/versions/1`)).statusCode, 200);
      assert.equal((await p.viewer.getJson(`/api/reviews/${p.reviewId}/versions/1`)).statusCode, 200);
      assert.equal((await p.outsider.get(`/reviews/${p.reviewId}/versions/1`)).statusCode, 404);
      assert.equal((await p.outsider.get(`/reviews/${p.reviewId}/documents/plan/csv?version=1`)).statusCode, 404);
      assert.equal((await p.viewer.get(`/reviews/${p.reviewId}/versions/2`)).statusCode, 404);
    });

    it('says a version recorded before Clasp kept plans is not held', async () => {
      const p = await makePlan(t);
      await t.database.db
        .insertInto('plan_versions')
        .values({
          review_id: p.reviewId,
          number: '1',
          issued_on: '2015-06-01',
          author: 'Head of Safeguarding',
          purpose: '',
          action_text: 'Sent the template',
          comment: '',
          recipients: '',
          snapshot: null,
          created_by_user_id: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      const res = await p.viewer.get(`/reviews/${p.reviewId}/versions/1`);
      assert.equal(res.statusCode, 404);
      assert.equal(
        (await issue(p, { purpose: 'comment' })).headers.location,
        `/reviews/${p.reviewId}/versions/2`,
        'numbering goes on from the recorded versions',
      );
    });

    const keepsVersionAsIssued =
      'keeps a version exactly as issued while the plan changes: its snapshot and every document, byte for byte';
    it(keepsVersionAsIssued, async () => {
      const p = await makePlan(t);
      assert.equal((await issue(p, { purpose: 'hwb', comment: 'For the January board.' })).statusCode, 303);
      const urls = [
        'plan/docx',
        'plan/xlsx',
        'plan/csv',
        'board-report/html',
        'board-report/docx',
        'board-report/pdf',
      ].map((d) => `/reviews/${p.reviewId}/documents/${d}?version=1`);
      const before: Buffer[] = [];
      for (const url of urls) before.push(await documentOf(p.viewer, url));
      const snapshotBefore = (await p.viewer.getJson(`/api/reviews/${p.reviewId}/versions/1`)).json()
        .plan as PlanSnapshot;

      // Edits after issuing: the action's words and lead, a new rating, progress and evidence.
      await editAction(p.editor, p.reviewId, p.actionId, {
        actionText: 'Add a triage prompt and audit it.',
        leadText: 'Lead nurse for safeguarding',
      });
      await addProgress(t.database.db, {
        reviewId: p.reviewId,
        actionId: p.actionId,
        on: '2026-11-20',
        text: 'Prompt live on the ward.',
      });
      await addRating(t.database.db, {
        reviewId: p.reviewId,
        actionId: p.actionId,
        kind: 'agreed',
        rating: 'green',
        on: '2026-11-21',
      });

      for (const [i, url] of urls.entries())
        assert.ok(
          (await documentOf(p.viewer, url)).equals(before[i] ?? Buffer.alloc(0)),
          `${url} changed after the plan did`,
        );
      assert.deepEqual((await p.viewer.getJson(`/api/reviews/${p.reviewId}/versions/1`)).json().plan, snapshotBefore);
      const frozenAction = snapshotBefore.actions.find((a) => a.id === p.actionId);
      assert.equal(frozenAction?.action, 'Add a triage prompt.');
      assert.equal(frozenAction.rating, 'amber');

      // The plan now has moved on.
      const now = await documentOf(p.viewer, `/reviews/${p.reviewId}/documents/plan/xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(now as unknown as ArrayBuffer);
      const text = JSON.stringify(book.worksheets[0]?.getSheetValues());
      assert.match(text, /Add a triage prompt and audit it\./);
    });

    it('compares two versions, and a version with now, after a scripted sequence of edits', async () => {
      const p = await makePlan(t);
      const db = t.database.db;
      assert.equal((await issue(p, { purpose: 'comment' })).statusCode, 303);
      // Between version 1 and 2: a new action, an edit, a rating, progress and accepted evidence.
      const created = await p.editor.sendJson('POST', `/api/reviews/${p.reviewId}/recommendations/1.1/actions`, {
        organisationIds: [p.trust],
        actionText: 'Train triage nurses.',
        leadText: 'Practice educator',
        dateWords: 'March 2027',
        dueDate: '2027-03-31',
        measure: 'All nurses trained.',
      });
      assert.equal(created.statusCode, 201, created.body);
      const newId = created.json().action.id as number;
      await editAction(p.editor, p.reviewId, p.actionId, { leadText: 'Lead nurse for safeguarding' });
      await addRating(db, {
        reviewId: p.reviewId,
        actionId: p.actionId,
        kind: 'agreed',
        rating: 'green',
        on: '2026-11-10',
      });
      await addProgress(db, {
        reviewId: p.reviewId,
        actionId: p.otherActionId,
        on: '2026-11-12',
        text: 'Audit shared with the board.',
      });
      await addNoteEvidence(db, {
        reviewId: p.reviewId,
        actionId: p.actionId,
        title: 'Ward audit, November',
        on: '2026-11-09',
        status: 'accepted',
      });
      assert.equal((await issue(p, { purpose: 'scrutiny' })).statusCode, 303);

      const res = await p.viewer.getJson(`/api/reviews/${p.reviewId}/compare?from=1&to=2`);
      assert.equal(res.statusCode, 200);
      const c = res.json<PlanComparison>();
      assert.equal(c.unchanged, false);
      assert.deepEqual(
        c.addedActions.map((a) => [a.actionId, a.action]),
        [[newId, 'Train triage nurses.']],
      );
      assert.deepEqual(c.removedActions, []);
      assert.deepEqual(
        c.changedActions.map((a) => [a.actionId, a.changes.map((f) => [f.field, f.before, f.after])]),
        [[p.actionId, [['Lead officer', 'Named nurse', 'Lead nurse for safeguarding']]]],
      );
      assert.deepEqual(
        c.ratingChanges.filter((r) => r.actionId === p.actionId).map((r) => [r.before, r.after]),
        [['amber', 'green']],
      );
      assert.deepEqual(
        c.newProgress.map((x) => [x.actionId, x.on, x.text]),
        [[p.otherActionId, '2026-11-12', 'Audit shared with the board.']],
      );
      assert.deepEqual(
        c.newEvidence.map((x) => [x.actionId, x.title, x.status]),
        [[p.actionId, 'Ward audit, November', 'accepted']],
      );

      const page = visibleText((await p.viewer.get(`/reviews/${p.reviewId}/compare?from=1&to=2`)).body);
      assert.match(page, /From Version 1 \([^)]*\) to Version 2/);
      assert.match(page, /Train triage nurses\./);
      assert.match(page, /Lead officer/);
      assert.match(page, /Audit shared with the board\./);
      assert.match(page, /Ward audit, November/);

      const sinceTwo = (
        await p.viewer.getJson(`/api/reviews/${p.reviewId}/compare?from=2&to=now`)
      ).json<PlanComparison>();
      assert.equal(sinceTwo.unchanged, true);
      assert.match(
        visibleText((await p.viewer.get(`/reviews/${p.reviewId}/compare?from=2&to=now`)).body),
        /Nothing changed between Version 2/,
      );
    });

    const servesDocuments =
      'serves the documents with their names and types; the HTML report in the page with a locked-down policy';
    it(servesDocuments, async () => {
      const p = await makePlan(t);
      const docx = await p.viewer.get(`/reviews/${p.reviewId}/documents/plan/docx`);
      assert.equal(docx.statusCode, 200);
      assert.match(String(docx.headers['content-type']), /wordprocessingml/);
      assert.match(
        String(docx.headers['content-disposition']),
        /^attachment; filename="([a-z0-9-]+-clas-action-plan-\d{4}-\d{2}-\d{2}\.docx)"; filename\*=UTF-8''\1$/,
      );
      const html = await p.viewer.get(`/reviews/${p.reviewId}/documents/board-report/html`);
      assert.equal(html.statusCode, 200);
      assert.match(String(html.headers['content-disposition']), /^inline;/);
      assert.match(String(html.headers['content-security-policy']), /default-src 'none'/);
      assert.doesNotMatch(html.body, /<script/i);
      assert.match(visibleText(html.body), /Improve the triage of children\./);
      assert.equal((await p.viewer.get(`/reviews/${p.reviewId}/documents/plan/pdf`)).statusCode, 404);
      assert.equal((await p.viewer.get(`/reviews/${p.reviewId}/documents/plan/csv?version=9`)).statusCode, 404);
    });
  });
}
