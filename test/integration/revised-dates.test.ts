import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
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
 * Deadlines are agreed, not quietly moved (issue 13, section 2): an editor proposes a revised
 * date with a reason; it takes effect only when the coordinator agrees it; until then the
 * action counts against the agreed date; the history and the original date are kept.
 */
for (const target of databaseTargets) {
  describe(`revised due dates, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let trust: number;
    let editor: Client;
    let otherEditor: Client;
    let coordinator: Client;
    let recommendationId: number;
    const base = () => `/reviews/${reviewId}`;
    const text = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url} ${res.body.slice(0, 3000)}`);
      return visibleText(res.body);
    };
    const newAction = () =>
      createAction(t.database.db, { reviewId, recommendationId, organisationIds: [trust], dueDate: '2026-11-01' });

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      const council = await createOrganisation(db, { name: 'Testshire County Council' });
      reviewId = await createReview(db, { area: 'Testshire', coveredOrganisationIds: [trust, council] });
      const group = await createGroup(db, reviewId, 1, [trust, council]);
      recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      editor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'editor' }));
      otherEditor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: council, role: 'editor' }));
      coordinator = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: council, role: 'coordinator', name: 'Cora Coordinator' }),
      );
    });
    after(() => t.close());

    it('keeps the agreed date until the coordinator agrees a proposal, then keeps the history', async () => {
      const actionId = await newAction();
      const page = `${base()}/actions/${actionId}/due-date`;

      const missing = await editor.postForm(`${page}/propose`, {
        'dueDate-day': '30',
        'dueDate-month': '6',
        'dueDate-year': '2027',
      });
      assert.equal(missing.statusCode, 400);
      assert.match(visibleText(missing.body), /Enter why the due date should move/);

      const proposed = await editor.postForm(`${page}/propose`, {
        'dueDate-day': '30',
        'dueDate-month': '6',
        'dueDate-year': '2027',
        reason: 'The new records system arrives in May.',
      });
      assert.equal(proposed.statusCode, 303);

      // Not in effect: the action still counts against 1 November 2026.
      const action = await text(editor, `${base()}/actions/${actionId}`);
      assert.match(action, /Due date 1 November 2026/);
      assert.match(action, /Revised date proposed: .* asks to move the due date to 30 June 2027/);
      assert.match(action, /Due 1 November 2026 and not completed: 22 days overdue/);
      const overview = await text(coordinator, base());
      assert.match(overview, /Revised due dates awaiting agreement/);
      assert.match(overview, /moving the due date from 1 November 2026 to 30 June 2027: The new records system/);

      // The editor cannot agree it; the coordinator can.
      const byEditor = await editor.postForm(`${page}/decide`, { decision: 'agree' });
      assert.equal(byEditor.statusCode, 403);
      assert.equal((await coordinator.postForm(`${page}/decide`, { decision: 'agree' })).statusCode, 303);

      const after = await text(coordinator, page);
      assert.match(after, /Agreed due date 30 June 2027/);
      assert.match(after, /Original due date 1 November 2026/);
      assert.match(after, /Times moved 1/);
      assert.match(after, /Revised date agreed From 1 November 2026 to 30 June 2027 Cora Coordinator/);
      assert.match(after, /Revised date proposed From 1 November 2026 to 30 June 2027/);
      assert.doesNotMatch(await text(coordinator, base()), /Revised due dates awaiting agreement/);

      const audit = await t.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_type', '=', 'due_date_change')
        .where('action_id', '=', actionId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['proposed', 'agreed'],
      );
    });

    it('refuses with a reason, and the due date stays', async () => {
      const actionId = await newAction();
      const page = `${base()}/actions/${actionId}/due-date`;
      await editor.postForm(`${page}/propose`, {
        'dueDate-day': '1',
        'dueDate-month': '1',
        'dueDate-year': '2028',
        reason: 'Staff shortages.',
      });
      const noReason = await coordinator.postForm(`${page}/decide`, { decision: 'refuse' });
      assert.equal(noReason.statusCode, 400);
      assert.match(visibleText(noReason.body), /Enter why the revised date is refused/);
      assert.equal(
        (await coordinator.postForm(`${page}/decide`, { decision: 'refuse', reason: 'The board needs it this year.' }))
          .statusCode,
        303,
      );
      const after = await text(editor, page);
      assert.match(after, /Agreed due date 1 November 2026/);
      assert.match(after, /Times moved 0/);
      assert.match(after, /Revised date refused .* The board needs it this year/);
    });

    it("lets only the action's own organisations propose, and not by editing the due date", async () => {
      const actionId = await newAction();
      const other = await otherEditor.postForm(`${base()}/actions/${actionId}/due-date/propose`, {
        'dueDate-day': '1',
        'dueDate-month': '1',
        'dueDate-year': '2028',
        reason: 'We would like longer.',
      });
      assert.equal(other.statusCode, 403);

      const edit = await editor.get(`${base()}/actions/${actionId}/edit`);
      const version = /name="version" value="(\d+)"/.exec(edit.body)?.[1] ?? '';
      const fields = {
        version,
        organisationIds: String(trust),
        actionText: 'Audit the records every quarter.',
        leadText: 'Named nurse',
        dateWords: '31 March 2027',
        measure: 'Audit shows 95% compliance.',
        'dueDate-day': '31',
        'dueDate-month': '3',
        'dueDate-year': '2028',
      };
      const moved = await editor.postForm(`${base()}/actions/${actionId}/edit`, fields);
      assert.equal(moved.statusCode, 400);
      assert.match(visibleText(moved.body), /To move it, use "Propose a new date" on the action page/);

      // The coordinator may set it directly, with a reason, recorded as an agreed change.
      const noReason = await coordinator.postForm(`${base()}/actions/${actionId}/edit`, fields);
      assert.equal(noReason.statusCode, 400);
      assert.match(visibleText(noReason.body), /Enter why the agreed due date is changing/);
      const set = await coordinator.postForm(`${base()}/actions/${actionId}/edit`, {
        ...fields,
        dueDateReason: 'Agreed at the board on 20 November.',
      });
      assert.equal(set.statusCode, 303);
      const history = await text(editor, `${base()}/actions/${actionId}/due-date`);
      assert.match(history, /Due date changed by the coordinator From 1 November 2026 to 31 March 2028/);
      assert.match(history, /Original due date 1 November 2026/);
      // The trail leads back through the recommendation to the action, as on the action's other pages.
      assert.match(history, /Reviews Testshire Recommendation 1\.1 (Action \d+ of recommendation 1\.1) Back to \1/);
    });

    it('has JSON twins with the same rules', async () => {
      const actionId = await newAction();
      const api = `/api/reviews/${reviewId}/actions/${actionId}/due-date`;
      const bad = await editor.sendJson('POST', `${api}/proposals`, { dueDate: '2026-11-01', reason: 'Same' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter a date different from the agreed due date/);
      const proposed = await editor.sendJson('POST', `${api}/proposals`, { dueDate: '2027-09-30', reason: 'Later' });
      assert.equal(proposed.statusCode, 201, proposed.body);
      assert.equal(proposed.json<{ proposedDueDate: string }>().proposedDueDate, '2027-09-30');
      assert.equal((await editor.sendJson('POST', `${api}/decisions`, { decision: 'agree' })).statusCode, 403);
      const decided = await coordinator.sendJson('POST', `${api}/decisions`, { decision: 'agree' });
      assert.equal(decided.statusCode, 201, decided.body);
      const state = (await editor.getJson(api)).json<{
        agreedDueDate: string;
        originalDueDate: string;
        moves: number;
        pending: unknown;
        history: { kind: string }[];
      }>();
      assert.equal(state.agreedDueDate, '2027-09-30');
      assert.equal(state.originalDueDate, '2026-11-01');
      assert.equal(state.moves, 1);
      assert.equal(state.pending, null);
      assert.deepEqual(
        state.history.map((h) => h.kind),
        ['proposed', 'agreed'],
      );
    });

    it('shows boards and scrutiny the original and current dates and how often each moved', async () => {
      const actionId = await newAction();
      const api = `/api/reviews/${reviewId}/actions/${actionId}/due-date`;
      for (const [date, reason] of [
        ['2027-01-31', 'Audit moved'],
        ['2027-04-30', 'Audit moved again'],
      ] as const) {
        assert.equal((await editor.sendJson('POST', `${api}/proposals`, { dueDate: date, reason })).statusCode, 201);
        assert.equal((await coordinator.sendJson('POST', `${api}/decisions`, { decision: 'agree' })).statusCode, 201);
      }
      const label = /<h1>([^<]+)<\/h1>/.exec((await editor.get(`${base()}/actions/${actionId}`)).body)?.[1] ?? '';

      const board = visibleText((await coordinator.get(`${base()}/documents/board-report/html`)).body);
      assert.match(board, new RegExp(`Moved due dates .*${label} 1\\.1 1 November 2026 30 April 2027 2 None`));

      const word = await coordinator.get(`${base()}/documents/plan/docx`);
      assert.equal(word.statusCode, 200);
      const { value: text } = await mammoth.extractRawText({ buffer: word.rawPayload });
      assert.match(text, /Due date moved twice: first agreed 1 November 2026, now 30 April 2027\./);

      const excel = await coordinator.get(`${base()}/documents/plan/xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(excel.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      assert.ok(sheet);
      const headers = (sheet.getRow(1).values as unknown[]).map(String);
      const rows: unknown[][] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push(row.values as unknown[]);
      });
      const row = rows.find((r) => r[headers.indexOf('Label')] === label);
      assert.ok(row, `a row for ${label}`);
      assert.equal(row[headers.indexOf('Times moved')], 2);
      const original = row[headers.indexOf('Originally agreed')];
      assert.ok(original instanceof Date);
      assert.equal(original.toISOString().slice(0, 10), '2026-11-01');
    });
  });
}

for (const target of databaseTargets) {
  describe(`the demo's revised due date, on ${target.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
    });
    after(() => t.close());

    it('shows one revised date awaiting agreement', async () => {
      const { reviewId } = await loadDemo(t.database.db, new Date('2026-11-23T12:00:00Z'));
      const admin = await t.admin();
      const overview = visibleText((await admin.get(`/reviews/${reviewId}`)).body);
      assert.match(overview, /Revised due dates awaiting agreement/);
      assert.match(overview, /Proposed on 18 July 2016 moving the due date from 31 January 2016 to 31 October 2016/);
      const changes = await t.database.db.selectFrom('due_date_changes').select(['kind', 'is_illustrative']).execute();
      assert.deepEqual(changes, [{ kind: 'proposed', is_illustrative: 1 }]);
    });
  });
}
