import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
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
import { CONFIRMATION_COOKIE } from '../../src/platform/http/confirmations.ts';

/*
 * A mistaken progress update or evidence item can be withdrawn by whoever posted it until it has
 * been decided on; it stays in the history as withdrawn (issue 13, section 3). Nothing is
 * deleted; a withdrawn proposal no longer waits for a decision, nor withdrawn evidence for
 * assurance; someone else's item, or one decided on, is refused with a message saying why.
 */

/** The confirmation a form's answer leaves for the next page, decoded. */
function confirmationOf(res: LightMyRequestResponse): string | null {
  const value = res.cookies.find((c) => c.name === CONFIRMATION_COOKIE)?.value;
  return value ? Buffer.from(value.split('.')[0] ?? '', 'base64url').toString('utf8') : null;
}

for (const target of databaseTargets) {
  describe(`withdrawing progress and evidence, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let recommendationId: number;
    let trust: number;
    let editor: Client;
    let secondEditor: Client;
    let reviewer: Client;
    let viewer: Client;

    const base = () => `/reviews/${reviewId}`;
    const newAction = () =>
      createAction(t.database.db, { reviewId, recommendationId, organisationIds: [trust], createdOn: '2026-11-01' });
    const pageText = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, url);
      return visibleText(res.body);
    };
    const postProgress = async (
      actionId: number,
      body: { progressOn: string; text: string; proposedRating?: string },
      by = editor,
    ) => {
      const res = await by.sendJson('POST', `/api${base()}/actions/${actionId}/progress`, body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().progressUpdateId as number;
    };
    const addNote = async (actionId: number, title: string, by = editor) => {
      const res = await by.sendJson('POST', `/api${base()}/actions/${actionId}/evidence`, {
        kind: 'note',
        title,
        effectiveOn: '2026-11-20',
        note: 'Seen at the visit.',
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().evidenceId as number;
    };
    const withdrawals = () => t.database.db.selectFrom('withdrawals').selectAll().orderBy('id').execute();
    const audits = (entityType: string, entityId: number) =>
      t.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor', 'after'])
        .where('entity_type', '=', entityType)
        .where('entity_id', '=', String(entityId))
        .orderBy('id')
        .execute();

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      const icb = await createOrganisation(db, { name: 'NHS Testshire Integrated Care Board', kind: 'commissioner' });
      reviewId = await createReview(db, { area: 'Withdrawshire', coveredOrganisationIds: [trust, icb] });
      const group = await createGroup(db, reviewId, 1, [trust]);
      recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      const member = async (organisationId: number, role: 'editor' | 'reviewer' | 'viewer', name: string) =>
        new Client(t.app, await signedInMember(db, { reviewId, organisationId, role, name }));
      editor = await member(trust, 'editor', 'Erin Editor');
      secondEditor = await member(trust, 'editor', 'Sam Second');
      reviewer = await member(icb, 'reviewer', 'Rita Reviewer');
      viewer = await member(trust, 'viewer', 'Vic Viewer');
    });
    after(() => t.close());

    it('withdraws your own progress update and its proposed rating, keeping it in the history', async () => {
      const actionId = await newAction();
      await postProgress(actionId, { progressOn: '2026-11-10', text: 'Audit planned.' });
      const updateId = await postProgress(actionId, {
        progressOn: '2026-11-20',
        text: 'Audit done on the wrong ward.',
        proposedRating: 'green',
      });
      const actionUrl = `${base()}/actions/${actionId}`;
      assert.match(await pageText(viewer, actionUrl), /Proposed Green, not yet agreed\./);
      const editorPage = await editor.get(actionUrl);
      assert.match(editorPage.body, new RegExp(`href="${base()}/progress/${updateId}/withdraw"`));

      // The overview lists the proposal as waiting for the group, until it is withdrawn.
      const awaiting = `${base()}?kind=awaiting_decision`;
      const label = new RegExp(`Ratings awaiting a decision \\(1\\)`);
      assert.match(await pageText(viewer, awaiting), label);
      const planCsv = async () => {
        const res = await viewer.get(`${base()}/documents/plan/csv`);
        assert.equal(res.statusCode, 200);
        return res.body;
      };
      assert.match(await planCsv(), /wrong ward/);
      const url = `${base()}/progress/${updateId}/withdraw`;
      const asked = await pageText(editor, url);
      assert.match(asked, /Withdraw this progress update\?/);
      assert.match(asked, /Its proposed rating, Green, no longer waits for the group’s decision\./);

      const res = await editor.postForm(url, { reason: 'Posted on the wrong action.' });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, actionUrl);
      assert.equal(confirmationOf(res), 'Progress update withdrawn');

      const text = await pageText(viewer, actionUrl);
      assert.match(
        text,
        new RegExp(
          /20 November 2026 Withdrawn Withdrawn on \d+ \w+ \d{4} by Erin Editor\. /.source +
            /Reason: Posted on the wrong action\. By Erin Editor\. Proposed rating: Green \(withdrawn\) /.source +
            /Audit done on the wrong ward\./.source,
        ),
      );
      assert.match(text, /No rating proposed or agreed yet\./, 'the withdrawn proposal no longer counts');
      assert.doesNotMatch(await pageText(viewer, awaiting), label, 'nor waits for the group on the overview');
      assert.doesNotMatch(await planCsv(), /wrong ward/, 'nor is in the plan as a document');
      assert.match(
        await pageText(viewer, `/search?q=${encodeURIComponent('wrong ward')}`),
        /Progress on action 1 of recommendation [\d.]+, 20 November 2026, by Erin Editor \(withdrawn\)/,
      );
      assert.doesNotMatch((await editor.get(actionUrl)).body, new RegExp(`progress/${updateId}/withdraw`));
      // The latest progress is the earlier update now.
      assert.match(
        await pageText(editor, `${actionUrl}/progress/new`),
        /Last update 10 November 2026, by Erin Editor: Audit planned\./,
      );

      const json = (await viewer.getJson(`/api${actionUrl}`)).json();
      const withdrawn = json.progress.find((p: { id: number }) => p.id === updateId);
      assert.equal(withdrawn.withdrawn_by, 'Erin Editor');
      assert.equal(withdrawn.withdrawn_reason, 'Posted on the wrong action.');
      assert.equal(json.rating.awaitingDecision, false);
      assert.equal(json.ratingHistory.length, 0);

      const [row] = (await withdrawals()).filter((w) => w.progress_update_id === updateId);
      assert.ok(row?.rating_event_id, 'the proposal is withdrawn with the update');
      const audit = await audits('progress_update', updateId);
      assert.deepEqual(
        audit.map((a) => [a.action, a.actor]),
        [
          ['created', 'Erin Editor'],
          ['withdrawn', 'Erin Editor'],
        ],
      );

      // Nothing is deleted, and an update is withdrawn once.
      const again = await editor.postForm(url, {});
      assert.equal(again.statusCode, 409);
      assert.match(visibleText(again.body), /You withdrew this update on/);
      assert.equal(
        (await t.database.db.selectFrom('progress_updates').select('id').where('id', '=', updateId).execute()).length,
        1,
      );
    });

    it('refuses to withdraw someone else’s update, and one the group has decided on since', async () => {
      const actionId = await newAction();
      const updateId = await postProgress(actionId, {
        progressOn: '2026-11-20',
        text: 'Ward audit.',
        proposedRating: 'amber',
      });
      const url = `${base()}/progress/${updateId}/withdraw`;

      const other = await secondEditor.get(url);
      assert.equal(other.statusCode, 200);
      assert.match(visibleText(other.body), /Only Erin Editor, who posted this update, can withdraw it\./);
      assert.doesNotMatch(other.body, /<form method="post"/);
      const refused = await secondEditor.postForm(url, { reason: 'Not mine.' });
      assert.equal(refused.statusCode, 409);
      assert.match(
        visibleText(refused.body),
        /There is a problem Only Erin Editor, who posted this update, can withdraw it\./,
      );
      const api = await secondEditor.sendJson('POST', `/api${base()}/progress/${updateId}/withdrawal`, {});
      assert.equal(api.statusCode, 409);
      assert.deepEqual(api.json().errors, [
        { field: 'withdraw', message: 'Only Erin Editor, who posted this update, can withdraw it.' },
      ]);
      // A viewer may not withdraw anything.
      assert.equal((await viewer.postForm(url, {})).statusCode, 403);

      const agreed = await reviewer.sendJson('POST', `/api${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'amber',
        rationale: 'Audit seen.',
      });
      assert.equal(agreed.statusCode, 201, agreed.body);
      const decided = await editor.postForm(url, {});
      assert.equal(decided.statusCode, 409);
      assert.match(
        visibleText(decided.body),
        new RegExp(
          /The peer challenge group has decided on the rating since this update was posted, /.source +
            /so it can no longer be withdrawn\. Post a new update to correct it\./.source,
        ),
      );
      assert.equal((await withdrawals()).filter((w) => w.progress_update_id === updateId).length, 0);
    });

    it('withdraws your own evidence through the API, so it no longer waits for assurance', async () => {
      const actionId = await newAction();
      const evidenceId = await addNote(actionId, 'Wrong minutes');
      const actionUrl = `${base()}/actions/${actionId}`;
      assert.match((await reviewer.get(actionUrl)).body, new RegExp(`evidence/${evidenceId}/decision`));

      const res = await editor.sendJson('POST', `/api${base()}/evidence/${evidenceId}/withdrawal`, {
        reason: 'Minutes of another meeting.',
      });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json();
      assert.equal(answer.withdrawn.kind, 'evidence_item');
      assert.equal(answer.withdrawn.by, 'Erin Editor');
      assert.equal(answer.withdrawn.reason, 'Minutes of another meeting.');
      assert.equal(answer.action, `/api${actionUrl}`);

      const page = await reviewer.get(actionUrl);
      const text = visibleText(page.body);
      assert.match(
        text,
        new RegExp(
          /Wrong minutes Withdrawn Withdrawn on \d+ \w+ \d{4} by Erin Editor\. /.source +
            /Reason: Minutes of another meeting\. Note\./.source,
        ),
      );
      assert.doesNotMatch(page.body, new RegExp(`evidence/${evidenceId}/decision`), 'no Accept or Reject');

      const decisionPage = await pageText(reviewer, `${base()}/evidence/${evidenceId}/decision`);
      assert.match(
        decisionPage,
        /This evidence has been withdrawn by the person who added it, so there is nothing to decide\./,
      );
      const decided = await reviewer.sendJson('POST', `/api${base()}/evidence/${evidenceId}/decision`, {
        decision: 'accept',
        version: 1,
      });
      assert.equal(decided.statusCode, 409);
      assert.match(
        decided.json().errors[0].message,
        /Erin Editor withdrew this evidence on .+, so there is nothing to decide\./,
      );
      const evidence = await t.database.db
        .selectFrom('evidence_items')
        .select('status')
        .where('id', '=', evidenceId)
        .executeTakeFirstOrThrow();
      assert.equal(evidence.status, 'submitted', 'never decided');
      const audit = await audits('evidence_item', evidenceId);
      assert.deepEqual(
        audit.map((a) => a.action),
        ['created', 'withdrawn'],
      );
    });

    it('withdraws evidence from its page, and refuses someone else’s and decided evidence', async () => {
      const actionId = await newAction();
      const mine = await addNote(actionId, 'Visit note');
      const url = `${base()}/evidence/${mine}/withdraw`;
      assert.match(await pageText(editor, url), /Withdraw this evidence\?/);
      assert.match(await pageText(secondEditor, url), /Only Erin Editor, who added this evidence, can withdraw it\./);
      assert.equal((await secondEditor.postForm(url, {})).statusCode, 409);

      const res = await editor.postForm(url, { returnTo: '/my-work' });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/my-work');
      assert.equal(confirmationOf(res), 'Evidence withdrawn');

      const accepted = await addNote(actionId, 'Audit report');
      const decision = await reviewer.postForm(`${base()}/evidence/${accepted}/decision`, {
        decision: 'accept',
        version: '1',
      });
      assert.equal(decision.statusCode, 303);
      assert.equal(confirmationOf(decision), 'Evidence accepted');
      const refused = await editor.postForm(`${base()}/evidence/${accepted}/withdraw`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(
        visibleText(refused.body),
        new RegExp(
          /Rita Reviewer accepted this evidence on .+, so it can no longer be withdrawn\. /.source +
            /If it is wrong, add new evidence that says so\./.source,
        ),
      );
    });

    it('withdraws the evidence sent with an update along with it', async () => {
      const actionId = await newAction();
      const url = `${base()}/actions/${actionId}/progress/new`;
      // A PDF that opens: one empty page, its cross-reference table and trailer.
      const objects = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
      ];
      let body = '%PDF-1.4\n';
      const offsets = objects.map((object, index) => {
        const offset = body.length;
        body += `${index + 1} 0 obj\n${object}\nendobj\n`;
        return `${String(offset).padStart(10, '0')} 00000 n \n`;
      });
      const xref = body.length;
      body += `xref\n0 4\n0000000000 65535 f \n${offsets.join('')}`;
      body += `trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
      const pdf = Buffer.from(body, 'latin1');
      const posted = await editor.postMultipart(
        url,
        {
          'progressOn-day': '20',
          'progressOn-month': '11',
          'progressOn-year': '2026',
          text: 'Audit attached.',
          proposedRating: 'none',
          evidenceTitle: 'Audit',
          returnTo: '/my-work',
        },
        [{ field: 'evidenceFile', fileName: 'audit.pdf', contentType: 'application/pdf', bytes: pdf }],
      );
      assert.equal(posted.statusCode, 303, posted.body);
      assert.equal(posted.headers.location, '/my-work', 'back where the form was opened from');
      assert.equal(confirmationOf(posted), 'Progress posted');
      const update = await t.database.db
        .selectFrom('progress_updates')
        .select('id')
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      const res = await editor.sendJson('POST', `/api${base()}/progress/${update.id}/withdrawal`, {});
      assert.equal(res.statusCode, 200, res.body);
      const evidence = await t.database.db
        .selectFrom('evidence_items')
        .select('id')
        .where('progress_update_id', '=', update.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(res.json().withdrawn.evidenceIds, [evidence.id]);
      const rows = await withdrawals();
      assert.ok(rows.some((w) => w.evidence_item_id === evidence.id));
      assert.match(await pageText(viewer, `${base()}/actions/${actionId}`), /Audit Withdrawn Withdrawn on/);
    });

    it('opens the progress and decision forms from My work and goes back there, never off the site', async () => {
      const actionId = await newAction();
      const form = await editor.get(`${base()}/actions/${actionId}/progress/new?returnTo=/my-work`);
      assert.match(form.body, /<input type="hidden" name="returnTo" value="\/my-work">/);
      const offSite = await editor.get(`${base()}/actions/${actionId}/progress/new?returnTo=https://evil.example/`);
      assert.doesNotMatch(offSite.body, /name="returnTo"/);

      const evidenceId = await addNote(actionId, 'Minutes');
      const decisionForm = await reviewer.get(`${base()}/evidence/${evidenceId}/decision?returnTo=/my-work`);
      assert.match(decisionForm.body, /<input type="hidden" name="returnTo" value="\/my-work">/);
      const rejected = await reviewer.postForm(`${base()}/evidence/${evidenceId}/decision`, {
        decision: 'reject',
        reason: 'Not dated.',
        version: '1',
        returnTo: '//evil.example',
      });
      assert.equal(rejected.statusCode, 303);
      assert.equal(rejected.headers.location, `${base()}/actions/${actionId}`);
      assert.equal(confirmationOf(rejected), 'Evidence rejected');
    });

    it('shows progress and the rating history newest first', async () => {
      const actionId = await newAction();
      await postProgress(actionId, { progressOn: '2026-11-02', text: 'First step.', proposedRating: 'red' });
      await postProgress(actionId, { progressOn: '2026-11-12', text: 'Second step.', proposedRating: 'amber' });
      const text = await pageText(viewer, `${base()}/actions/${actionId}`);
      assert.match(text, /Rating history, newest first/);
      assert.ok(text.indexOf('Second step.') < text.indexOf('First step.'), 'progress newest first');
      const history = text.slice(text.indexOf('Rating history'));
      assert.ok(history.indexOf('Amber') < history.indexOf('Red'), 'ratings newest first');
    });
  });
}
