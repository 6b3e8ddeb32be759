import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import JSZip from 'jszip';
import { databaseTargets } from '../helpers/databases.ts';
import { todayInEngland } from '../../src/app.ts';
import { formatLongDate } from '../../src/domain/dates.ts';

/** The day things recorded now are stamped with: the real clock, not the test's fixed "today". */
const recordedToday = () => formatLongDate(todayInEngland(new Date()));
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  addNoteEvidence,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

// A small, valid PDF: a catalogue, one empty page, a cross-reference table and a trailer.
function pdfBytes(note = ''): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>${note ? ` % ${note}` : ''}`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// The start of a Windows program: "MZ", then the offset of its PE header.
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
const UPLOAD_LIMIT_MB = '0.05';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

for (const target of databaseTargets) {
  describe(`progress, evidence and agreed ratings on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let otherReviewId: number;
    let recommendationId: number;
    let trust: number;
    let editor: Client;
    let otherEditor: Client;
    let reviewer: Client;
    let secondReviewer: Client;
    let coordinator: Client;
    let viewer: Client;
    let outsider: Client;

    const base = () => `/reviews/${reviewId}`;
    const newAction = (text?: string) =>
      createAction(t.database.db, {
        reviewId,
        recommendationId,
        organisationIds: [trust],
        text,
        createdOn: '2026-11-01',
      });
    const count = async (
      table: 'blobs' | 'evidence_items' | 'progress_updates' | 'rating_events' | 'rating_challenges',
    ) => {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db);
      return Number(row.rows[0]?.n);
    };
    const counts = async () => ({
      blobs: await count('blobs'),
      evidence: await count('evidence_items'),
      progress: await count('progress_updates'),
      ratings: await count('rating_events'),
      challenges: await count('rating_challenges'),
    });
    const pageText = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, url);
      return visibleText(res.body);
    };
    const dateFields = (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
    };
    const addNote = async (actionId: number, title: string) => {
      const res = await editor.sendJson('POST', `/api${base()}/actions/${actionId}/evidence`, {
        kind: 'note',
        title,
        effectiveOn: '2026-11-20',
        note: 'Seen at the visit.',
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().evidenceId as number;
    };

    before(async () => {
      t = await startTestApp(target, { env: { CLASP_UPLOAD_LIMIT_MB: UPLOAD_LIMIT_MB } });
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      const council = await createOrganisation(db, { name: 'Testshire County Council', kind: 'local_authority' });
      const icb = await createOrganisation(db, { name: 'NHS Testshire Integrated Care Board', kind: 'commissioner' });
      reviewId = await createReview(db, { area: 'Assurashire', coveredOrganisationIds: [trust, council, icb] });
      otherReviewId = await createReview(db, { area: 'Elsewhere' });
      const group = await createGroup(db, reviewId, 1, [trust, council]);
      recommendationId = await createRecommendation(db, {
        reviewId,
        groupId: group,
        number: '1.1',
        outcome: 'Every child is assessed.',
      });
      const member = async (
        organisationId: number,
        role: 'coordinator' | 'editor' | 'reviewer' | 'viewer',
        name: string,
        review = reviewId,
      ) => new Client(t.app, await signedInMember(db, { reviewId: review, organisationId, role, name }));
      editor = await member(trust, 'editor', 'Erin Editor');
      otherEditor = await member(council, 'editor', 'Olu Other');
      reviewer = await member(icb, 'reviewer', 'Rita Reviewer');
      secondReviewer = await member(icb, 'reviewer', 'Rob Reviewer');
      coordinator = await member(icb, 'coordinator', 'Cora Coordinator');
      viewer = await member(trust, 'viewer', 'Vic Viewer');
      outsider = await member(trust, 'editor', 'Oscar Outsider', otherReviewId);
    });
    after(async () => t.close());

    it('posts progress with a PDF, and shows who, when and what on the action page', async () => {
      const actionId = await newAction();
      const url = `${base()}/actions/${actionId}/progress/new`;
      const form = await editor.get(url);
      assert.equal(form.statusCode, 200);
      const formText = visibleText(form.body);
      assert.match(formText, /Post a progress update/);
      assert.match(
        formText,
        new RegExp(
          /Blue: completed Green: on target Amber: off target with remedial action /.source +
            /Red: not yet planned, started or progressed or No change to the rating/.source,
        ),
      );
      assert.match(form.body, /id="progressOn-day"[^>]*value="23"/, 'the date of the update starts as today');
      assert.match(form.body, /enctype="multipart\/form-data"/);

      const pdf = pdfBytes('triage');
      const before = await counts();
      const res = await editor.postMultipart(
        url,
        {
          ...dateFields('progressOn', '2026-11-20'),
          text: 'Audited 50 triage records.\nThe prompt is on the form.',
          proposedRating: 'green',
          evidenceTitle: 'Triage audit, November 2026',
        },
        [{ field: 'evidenceFile', fileName: 'triage audit.pdf', contentType: 'application/pdf', bytes: pdf }],
      );
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `${base()}/actions/${actionId}`);
      assert.deepEqual(await counts(), {
        ...before,
        blobs: before.blobs + 1,
        evidence: before.evidence + 1,
        progress: before.progress + 1,
        ratings: before.ratings + 1,
      });

      const text = await pageText(viewer, `${base()}/actions/${actionId}`);
      assert.match(
        text,
        new RegExp(
          '20 November 2026 By Erin Editor\\. Proposed rating: Green Audited 50 triage records\\. ' +
            `The prompt is on the form\\. Recorded ${recordedToday()} at [0-9:]+(am|pm)\\. ` +
            'Evidence sent with this update: Triage audit, November 2026',
        ),
      );
      assert.match(text, /Green Proposed Green, not yet agreed\./);
      assert.match(text, /Rated Green \(proposed, not yet agreed\) with no accepted evidence\./);
      assert.match(
        text,
        new RegExp(
          'Triage audit, November 2026 Submitted File\\. Evidences 20 November 2026\\. ' +
            `Added by Erin Editor on ${recordedToday()}`,
        ),
      );
      assert.match(text, new RegExp(`Download triage audit\\.pdf \\(PDF file, ${pdf.length} bytes\\)`));

      const db = t.database.db;
      const update = await db
        .selectFrom('progress_updates')
        .selectAll()
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.equal(update.progress_on, '2026-11-20');
      assert.equal(update.author_user_id, editor.session?.userId);
      const proposal = await db
        .selectFrom('rating_events')
        .selectAll()
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.deepEqual([proposal.kind, proposal.rating, proposal.actor_name], ['proposed', 'green', 'Erin Editor']);
      const evidence = await db
        .selectFrom('evidence_items')
        .selectAll()
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.equal(evidence.progress_update_id, update.id);
      assert.deepEqual(
        [evidence.status, evidence.media_type, evidence.file_name, evidence.size],
        ['submitted', 'application/pdf', 'triage audit.pdf', pdf.length],
      );
      assert.equal(evidence.blob_sha256, sha256(pdf));

      const recommendation = await pageText(viewer, `${base()}/recommendations/1.1`);
      assert.match(recommendation, /Green Proposed, not yet agreed/);
    });

    it('stores the same file once, however often it is uploaded', async () => {
      const actionId = await newAction();
      const pdf = pdfBytes('the same bytes twice');
      const before = await counts();
      for (const [name, title] of [
        ['minutes.pdf', 'Board minutes'],
        ['minutes copy.pdf', 'Board minutes again'],
      ] as const) {
        const res = await editor.postMultipart(
          `${base()}/actions/${actionId}/evidence/new`,
          {
            kind: 'file',
            title,
            ...dateFields('effectiveOn', '2026-09-30'),
            ...dateFields('periodStart', '2026-07-01'),
          },
          [{ field: 'file', fileName: name, contentType: 'application/pdf', bytes: pdf }],
        );
        assert.equal(res.statusCode, 303, res.body);
      }
      const after = await counts();
      assert.equal(after.evidence, before.evidence + 2);
      assert.equal(after.blobs, before.blobs + 1, 'two uploads of the same bytes keep one blob');
      const items = await t.database.db
        .selectFrom('evidence_items')
        .select(['id', 'blob_sha256', 'period_start', 'effective_on'])
        .where('action_id', '=', actionId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        items.map((i) => i.blob_sha256),
        [sha256(pdf), sha256(pdf)],
      );
      assert.deepEqual(
        items.map((i) => [i.period_start, i.effective_on]),
        [
          ['2026-07-01', '2026-09-30'],
          ['2026-07-01', '2026-09-30'],
        ],
      );
      for (const item of items) {
        const file = await viewer.get(`${base()}/evidence/${item.id}/file`);
        assert.equal(file.statusCode, 200);
        assert.ok(file.rawPayload.equals(pdf));
      }
      assert.match(
        await pageText(viewer, `${base()}/actions/${actionId}`),
        /Board minutes Submitted File\. Evidences 1 July 2026 to 30 September 2026\./,
      );
    });

    it('refuses empty, too big, disguised and HTML files with a clear message, and stores nothing', async () => {
      const actionId = await newAction();
      const cases = [
        {
          fileName: 'empty.pdf',
          contentType: 'application/pdf',
          bytes: Buffer.alloc(0),
          message: /The selected file is empty/,
        },
        {
          fileName: 'big.pdf',
          contentType: 'application/pdf',
          bytes: Buffer.concat([pdfBytes(), Buffer.alloc(60_000, 0x20)]),
          message: /The selected file must be smaller than 51 KB/,
        },
        {
          fileName: 'report.pdf',
          contentType: 'application/pdf',
          bytes: EXE,
          message: /The selected file is not a PDF: its content is a Windows program/,
        },
        {
          fileName: 'notes.txt',
          contentType: 'text/plain',
          bytes: HTML,
          message: /The selected file is not a text file: its content is a web page \(HTML\)/,
        },
      ];
      const before = await counts();
      for (const c of cases) {
        const res = await editor.postMultipart(
          `${base()}/actions/${actionId}/evidence/new`,
          { kind: 'file', title: 'Audit', ...dateFields('effectiveOn', '2026-11-01') },
          [{ field: 'file', fileName: c.fileName, contentType: c.contentType, bytes: c.bytes }],
        );
        assert.equal(res.statusCode, 400, c.fileName);
        const text = visibleText(res.body);
        assert.match(text, c.message, c.fileName);
        assert.match(res.body, /<title>Error: Add evidence/);
        assert.match(text, /There is a problem/);
        assert.match(res.body, /id="title"[^>]*value="Audit"/, 'the other answers are kept');
      }
      // The same check guards a file sent with a progress update: the update is not posted either.
      const withUpdate = await editor.postMultipart(
        `${base()}/actions/${actionId}/progress/new`,
        {
          ...dateFields('progressOn', '2026-11-23'),
          text: 'Audit done.',
          proposedRating: 'none',
          evidenceTitle: 'Audit',
        },
        [{ field: 'evidenceFile', fileName: 'audit.pdf', contentType: 'application/pdf', bytes: EXE }],
      );
      assert.equal(withUpdate.statusCode, 400);
      assert.match(visibleText(withUpdate.body), /The selected file is not a PDF/);
      assert.match(withUpdate.body, /Audit done\./, 'what was written is kept');
      assert.deepEqual(await counts(), before);
    });

    it('refuses a PDF, Word or Excel file that cannot be opened as one, on the page and in the API', async () => {
      const actionId = await newAction();
      const cannotOpen = (what: string) =>
        `The selected file is not ${what} or it is damaged: it cannot be opened as one. ` +
        'Check you chose the right file and upload it again.';
      const word = new JSZip();
      word.file(
        '[Content_Types].xml',
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Override PartName="/word/document.xml" ContentType="application/' +
          'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      );
      word.file('word/styles.xml', '<w:styles/>');
      const noDocument = await word.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      const cases = [
        { fileName: 'audit.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n'), what: 'a PDF' },
        {
          fileName: 'cut short.pdf',
          contentType: 'application/pdf',
          bytes: pdfBytes().subarray(0, pdfBytes().indexOf('xref')),
          what: 'a PDF',
        },
        {
          fileName: 'plan.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: noDocument,
          what: 'a Word document',
        },
      ];
      const before = await counts();
      for (const c of cases) {
        const page = await editor.postMultipart(
          `${base()}/actions/${actionId}/evidence/new`,
          { kind: 'file', title: 'Audit', ...dateFields('effectiveOn', '2026-11-01') },
          [{ field: 'file', fileName: c.fileName, contentType: c.contentType, bytes: c.bytes }],
        );
        assert.equal(page.statusCode, 400, c.fileName);
        assert.ok(visibleText(page.body).includes(cannotOpen(c.what)), c.fileName);
        assert.match(visibleText(page.body), /There is a problem/);
        const api = await editor.postMultipart(
          `/api${base()}/actions/${actionId}/evidence`,
          { kind: 'file', title: 'Audit', effectiveOn: '2026-11-01' },
          [{ field: 'file', fileName: c.fileName, contentType: c.contentType, bytes: c.bytes }],
        );
        assert.equal(api.statusCode, 400, c.fileName);
        assert.ok(api.body.includes(JSON.stringify(cannotOpen(c.what))), api.body);
      }
      assert.deepEqual(await counts(), before);
      // The same file, whole, is taken.
      const whole = await editor.postMultipart(
        `${base()}/actions/${actionId}/evidence/new`,
        { kind: 'file', title: 'Audit', ...dateFields('effectiveOn', '2026-11-01') },
        [{ field: 'file', fileName: 'audit.pdf', contentType: 'application/pdf', bytes: pdfBytes('whole') }],
      );
      assert.equal(whole.statusCode, 303, whole.body);
    });

    it('neutralises paths in file names, in what is stored and in Content-Disposition', async () => {
      const actionId = await newAction();
      for (const fileName of ['../../../etc/passwd.pdf', '..\\..\\Rapport d’été.pdf']) {
        const res = await editor.postMultipart(
          `${base()}/actions/${actionId}/evidence/new`,
          { kind: 'file', title: fileName, ...dateFields('effectiveOn', '2026-11-01') },
          [{ field: 'file', fileName, contentType: 'application/pdf', bytes: pdfBytes(fileName) }],
        );
        assert.equal(res.statusCode, 303, res.body);
      }
      const items = await t.database.db
        .selectFrom('evidence_items')
        .select(['id', 'file_name'])
        .where('action_id', '=', actionId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        items.map((i) => i.file_name),
        ['passwd.pdf', 'Rapport d’été.pdf'],
      );
      const [plain, accented] = await Promise.all(items.map((i) => viewer.get(`${base()}/evidence/${i.id}/file`)));
      assert.equal(
        plain?.headers['content-disposition'],
        `attachment; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`,
      );
      assert.equal(
        accented?.headers['content-disposition'],
        `attachment; filename="Rapport d_ete.pdf"; filename*=UTF-8''Rapport%20d%E2%80%99%C3%A9t%C3%A9.pdf`,
      );
    });

    it('sends evidence files as attachments that cannot run, to people who can read the review', async () => {
      const actionId = await newAction();
      const pdf = pdfBytes('download');
      await editor.postMultipart(
        `${base()}/actions/${actionId}/evidence/new`,
        { kind: 'file', title: 'Audit', ...dateFields('effectiveOn', '2026-11-01') },
        [{ field: 'file', fileName: 'audit.pdf', contentType: 'text/html', bytes: pdf }],
      );
      const { id } = await t.database.db
        .selectFrom('evidence_items')
        .select('id')
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      const url = `${base()}/evidence/${id}/file`;
      const res = await viewer.get(url);
      assert.equal(res.statusCode, 200);
      assert.equal(
        res.headers['content-type'],
        'application/pdf',
        'the type checked from the content, not the one the browser declared',
      );
      assert.match(String(res.headers['content-disposition']), /^attachment; /);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
      assert.equal(res.headers['cache-control'], 'private, no-store');
      assert.ok(res.rawPayload.equals(pdf));

      assert.equal((await outsider.get(url)).statusCode, 404, 'a review does not exist to non-members');
      assert.equal(
        (await (await t.admin()).get(`/reviews/${otherReviewId}/evidence/${id}/file`)).statusCode,
        404,
        'evidence of another review',
      );
      assert.equal((await t.anonymous.get(url)).statusCode, 303, 'sign in first');
      const page = await viewer.get(`${base()}/actions/${actionId}`);
      assert.match(page.body, new RegExp(`href="${url}" download>Download audit\\.pdf<`));
    });

    it('takes links with http or https addresses only, and notes', async () => {
      const actionId = await newAction();
      const before = await counts();
      for (const url of [
        'javascript:alert(document.cookie)',
        'JaVaScRiPt:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'not an address',
      ]) {
        const res = await editor.postMultipart(
          `${base()}/actions/${actionId}/evidence/new`,
          { kind: 'link', title: 'Policy', url, ...dateFields('effectiveOn', '2026-11-01') },
          [],
        );
        assert.equal(res.statusCode, 400, url);
        assert.match(visibleText(res.body), /Enter a web address that starts with https:\/\/ or http:\/\//);
      }
      const api = await editor.sendJson('POST', `/api${base()}/actions/${actionId}/evidence`, {
        kind: 'link',
        title: 'Policy',
        url: 'javascript:alert(1)',
        effectiveOn: '2026-11-01',
      });
      assert.equal(api.statusCode, 400);
      assert.deepEqual(api.json().errors, [
        {
          field: 'url',
          message:
            'Enter a web address that starts with https:// or http://, like https://www.example.nhs.uk/audit-report',
        },
      ]);
      assert.deepEqual(await counts(), before);

      const ok = await editor.postForm(`${base()}/actions/${actionId}/evidence/new`, {
        kind: 'link',
        title: 'Safeguarding policy',
        url: 'https://www.example.nhs.uk/policy?v=2',
        ...dateFields('effectiveOn', '2026-11-01'),
      });
      assert.equal(ok.statusCode, 303, ok.body);
      const note = await editor.postForm(`${base()}/actions/${actionId}/evidence/new`, {
        kind: 'note',
        title: 'Visit',
        note: '',
        ...dateFields('effectiveOn', '2026-11-01'),
      });
      assert.equal(note.statusCode, 400);
      assert.match(visibleText(note.body), /Enter the note/);
      const future = await editor.postForm(`${base()}/actions/${actionId}/evidence/new`, {
        kind: 'note',
        title: 'Visit',
        note: 'Seen.',
        ...dateFields('effectiveOn', '2026-12-01'),
      });
      assert.equal(future.statusCode, 400);
      assert.match(visibleText(future.body), /The date the evidence is from must be today or in the past/);
      const page = await viewer.get(`${base()}/actions/${actionId}`);
      assert.match(page.body, /<a href="https:\/\/www\.example\.nhs\.uk\/policy\?v=2" rel="noreferrer noopener">/);
    });

    const reviewersDecide =
      'lets reviewers accept and reject evidence, a rejection with its reason, and refuses a stale decision';
    it(reviewersDecide, async () => {
      const actionId = await newAction();
      const rejectedId = await addNote(actionId, 'Minutes of the October board');
      const acceptedId = await addNote(actionId, 'Training register');

      const page = await reviewer.get(`${base()}/actions/${actionId}`);
      assert.match(
        page.body,
        new RegExp(`action="${base()}/evidence/${acceptedId}/decision"`),
        'an Accept button for submitted evidence',
      );
      assert.match(visibleText(page.body), /Accept Training register Reject Training register/);
      // The page is kept in memory for everyone with the same roles; each copy carries its reader's own form token.
      assert.ok(page.body.includes(`name="_csrf" value="${reviewer.session?.csrf}"`));
      const samePage = await secondReviewer.get(`${base()}/actions/${actionId}`);
      assert.ok(samePage.body.includes(`name="_csrf" value="${secondReviewer.session?.csrf}"`));
      assert.ok(!samePage.body.includes(reviewer.session?.csrf ?? '-'));

      const form = await reviewer.get(`${base()}/evidence/${rejectedId}/decision?decision=reject`);
      assert.equal(form.statusCode, 200);
      assert.match(visibleText(form.body), /Accept or reject evidence .*Minutes of the October board/);
      const noReason = await reviewer.postForm(`${base()}/evidence/${rejectedId}/decision`, {
        decision: 'reject',
        reason: ' ',
        version: '1',
      });
      assert.equal(noReason.statusCode, 400);
      assert.match(visibleText(noReason.body), /There is a problem Enter why the evidence is rejected/);
      const nothing = await reviewer.postForm(`${base()}/evidence/${rejectedId}/decision`, { version: '1' });
      assert.equal(nothing.statusCode, 400);
      assert.match(visibleText(nothing.body), /Select whether to accept or reject the evidence/);

      const rejected = await reviewer.postForm(`${base()}/evidence/${rejectedId}/decision`, {
        decision: 'reject',
        reason: 'The minutes do not mention triage.',
        version: '1',
      });
      assert.equal(rejected.statusCode, 303);
      assert.equal(rejected.headers.location, `${base()}/actions/${actionId}`);
      const accepted = await reviewer.postForm(`${base()}/evidence/${acceptedId}/decision`, {
        decision: 'accept',
        version: '1',
      });
      assert.equal(accepted.statusCode, 303);

      const text = await pageText(viewer, `${base()}/actions/${actionId}`);
      assert.match(
        text,
        new RegExp(
          `Minutes of the October board Rejected Rejected by Rita Reviewer on ${recordedToday()} ` +
            'at [0-9:]+(am|pm)\\. Reason: The minutes do not mention triage\\.',
        ),
      );
      assert.match(text, new RegExp(`Training register Accepted Accepted by Rita Reviewer on ${recordedToday()}`));
      const row = await t.database.db
        .selectFrom('evidence_items')
        .selectAll()
        .where('id', '=', rejectedId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.status, row.status_reason, row.status_by_name, row.status_by_user_id, row.version],
        ['rejected', 'The minutes do not mention triage.', 'Rita Reviewer', reviewer.session?.userId, 2],
      );
      assert.ok(row.status_at);

      // Someone who opened the form before Rita decided is told who decided what.
      const stale = await secondReviewer.postForm(`${base()}/evidence/${acceptedId}/decision`, {
        decision: 'reject',
        reason: 'Out of date.',
        version: '1',
      });
      assert.equal(stale.statusCode, 409);
      assert.match(
        visibleText(stale.body),
        new RegExp(`Rita Reviewer accepted this evidence on ${recordedToday()} while you were deciding`),
      );
      assert.match(stale.body, /name="version" value="2"/, 'the form now carries the current version');
      const staleApi = await secondReviewer.sendJson('POST', `/api${base()}/evidence/${acceptedId}/decision`, {
        decision: 'reject',
        reason: 'Out of date.',
        version: 1,
      });
      assert.equal(staleApi.statusCode, 409);
      assert.match(staleApi.json().errors[0].message, /Rita Reviewer accepted this evidence/);
      const still = await t.database.db
        .selectFrom('evidence_items')
        .select(['status', 'version'])
        .where('id', '=', acceptedId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(still, { status: 'accepted', version: 2 });

      const viaApi = await secondReviewer.sendJson('POST', `/api${base()}/evidence/${acceptedId}/decision`, {
        decision: 'reject',
        reason: 'Superseded by the November register.',
        version: 2,
      });
      assert.equal(viaApi.statusCode, 200, viaApi.body);
      assert.deepEqual(
        [viaApi.json().evidence.status, viaApi.json().evidence.status_by_name, viaApi.json().evidence.version],
        ['rejected', 'Rob Reviewer', 3],
      );
    });

    const blueNeedsEvidence =
      'refuses to agree Blue without accepted recent evidence unless a reason is given, and keeps listing it';
    it(blueNeedsEvidence, async () => {
      const actionId = await newAction('Train every triage nurse.');
      const proposed = await editor.sendJson('POST', `/api${base()}/actions/${actionId}/progress`, {
        progressOn: '2026-11-23',
        text: 'Everyone is trained.',
        proposedRating: 'blue',
      });
      assert.equal(proposed.statusCode, 201, proposed.body);
      // Accepted, but older than the 90 days before 23 November 2026.
      await addNoteEvidence(t.database.db, {
        reviewId,
        actionId,
        title: 'Training register, spring',
        on: '2026-08-24',
        status: 'accepted',
      });

      const form = await reviewer.get(`${base()}/actions/${actionId}/rating`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /value="blue" checked/, 'the latest proposal is chosen to start with');
      assert.match(visibleText(form.body), /None is dated 25 August 2026 to 23 November 2026/);

      const before = await counts();
      const refused = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'blue',
        rationale: 'The group saw the register.',
      });
      assert.equal(refused.statusCode, 400);
      const refusedText = visibleText(refused.body);
      assert.match(
        refusedText,
        new RegExp(
          /There is no accepted evidence dated in the last 90 days\. /.source +
            /Give a reason to agree Blue without it, or accept evidence first/.source,
        ),
      );
      assert.match(refused.body, /id="overrideReason"/, 'the reason field is shown with the message');
      assert.match(refused.body, /The group saw the register\./);
      assert.deepEqual(await counts(), before);

      const agreed = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'blue',
        rationale: 'The group saw the register.',
        overrideReason: 'The register is held by the education team and was shown at the meeting.',
      });
      assert.equal(agreed.statusCode, 303, agreed.body);
      const event = await t.database.db
        .selectFrom('rating_events')
        .selectAll()
        .where('action_id', '=', actionId)
        .where('kind', '=', 'agreed')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [event.rating, event.decided_on, event.actor_name, event.user_id, event.rationale, event.override_reason],
        [
          'blue',
          '2026-11-23',
          'Rita Reviewer',
          reviewer.session?.userId,
          'The group saw the register.',
          'The register is held by the education team and was shown at the meeting.',
        ],
      );

      const reason =
        'Agreed Blue without accepted recent evidence; ' +
        'override reason: The register is held by the education team and was shown at the meeting.';
      assert.ok((await pageText(viewer, base())).includes(reason), 'the overview lists the override');
      const action = await pageText(viewer, `${base()}/actions/${actionId}`);
      assert.ok(action.includes(reason));
      assert.match(action, /Blue Agreed Blue\. Agreed without accepted recent evidence\./);
      assert.match(
        action,
        new RegExp(
          /23 November 2026 Agreed Blue Rita Reviewer The group saw the register\. /.source +
            /Agreed without accepted recent evidence\. Override reason: The register/.source,
        ),
      );
      const api = await viewer.getJson(`/api${base()}`);
      assert.ok(
        (api.json().exceptions as { kind: string; reason: string }[]).some(
          (e) => e.kind === 'unevidenced' && e.reason === reason,
        ),
      );
    });

    it('agrees Green at once on accepted evidence dated in the window', async () => {
      const actionId = await newAction();
      const evidenceId = await addNote(actionId, 'October audit');
      await reviewer.postForm(`${base()}/evidence/${evidenceId}/decision`, { decision: 'accept', version: '1' });
      const form = await reviewer.get(`${base()}/actions/${actionId}/rating`);
      assert.match(
        visibleText(form.body),
        new RegExp(
          /Accepted evidence from the last 90 days Dated 25 August 2026 to 23 November 2026: /.source +
            /October audit \(20 November 2026\)/.source,
        ),
      );
      const noRationale = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'green',
        rationale: '',
      });
      assert.equal(noRationale.statusCode, 400);
      assert.match(visibleText(noRationale.body), /Enter why the group agreed this rating/);
      const res = await coordinator.sendJson('POST', `/api${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'green',
        rationale: 'Audit seen.',
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().kind, 'agreed');
      const event = await t.database.db
        .selectFrom('rating_events')
        .select(['rating', 'override_reason'])
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(event, { rating: 'green', override_reason: null });
      assert.doesNotMatch(await pageText(viewer, `${base()}/actions/${actionId}`), /Exceptions/);
    });

    const rejectedMeanwhile = 'refuses Green when its only evidence is rejected between the form check and the write';
    const oneAtATime = 'SQLite runs one transaction at a time: a rejection cannot be held open beside the agreement';
    it(rejectedMeanwhile, { skip: target.name === 'sqlite' ? oneAtATime : false }, async () => {
      const actionId = await newAction();
      const evidenceId = await addNote(actionId, 'November audit');
      const accepted = await reviewer.postForm(`${base()}/evidence/${evidenceId}/decision`, {
        decision: 'accept',
        version: '1',
      });
      assert.equal(accepted.statusCode, 303);
      const before = await counts();

      // Another reviewer's rejection, written but not yet committed: the form is checked while the
      // evidence still reads as accepted, and the agreement must wait for the rejection to land.
      const { agreeing, waited } = await t.database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('evidence_items')
          .set({ status: 'rejected', status_reason: 'Another ward.', status_by_name: 'Rob Reviewer', version: 3 })
          .where('id', '=', evidenceId)
          .execute();
        // An object, not a `let`: the flag is set in a callback, which TypeScript's narrowing does not see.
        const request = { answered: false };
        const agreeing = coordinator
          .sendJson('POST', `/api${base()}/actions/${actionId}/rating`, {
            decision: 'agree',
            rating: 'green',
            rationale: 'Audit seen.',
          })
          .finally(() => {
            request.answered = true;
          });
        // Until the request answers, or waits on a lock this transaction holds (10 seconds at most).
        let waited = false;
        const giveUp = Date.now() + 10_000;
        while (!request.answered && !waited && Date.now() < giveUp) {
          // pg_locks is read afresh each time (pg_stat_activity would be a snapshot held for the transaction).
          const blocked = await sql<{ n: number }>`
            select count(*) as n from pg_locks where not granted and pg_backend_pid() = any(pg_blocking_pids(pid))
          `.execute(trx);
          waited = Number(blocked.rows[0]?.n) > 0;
          if (!waited) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { agreeing, waited };
      });
      const res = await agreeing;
      assert.ok(waited, 'the agreement was checked and written while the rejection was still open');
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json().errors, [
        {
          field: 'overrideReason',
          message:
            'There is no accepted evidence dated in the last 90 days. ' +
            'Give a reason to agree Green without it, or accept evidence first',
        },
      ]);
      assert.deepEqual(await counts(), before);
    });

    it('shows a challenged proposal as disputed, with the reasons, until a new proposal', async () => {
      const actionId = await newAction();
      const label = (await pageText(viewer, `${base()}/actions/${actionId}`)).match(
        /Action \d+ of recommendation 1\.1/,
      )?.[0];
      await editor.postForm(`${base()}/actions/${actionId}/progress/new`, {
        ...dateFields('progressOn', '2026-11-21'),
        text: 'Audit done on ward 3.',
        proposedRating: 'blue',
      });

      const empty = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'challenge',
        challengeRationale: '',
      });
      assert.equal(empty.statusCode, 400);
      assert.match(visibleText(empty.body), /Enter why the group challenges the proposed rating/);
      const challenged = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'challenge',
        challengeRationale: 'The audit covers one ward only.',
      });
      assert.equal(challenged.statusCode, 303, challenged.body);
      const row = await t.database.db
        .selectFrom('rating_challenges')
        .selectAll()
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [row.rating, row.decided_on, row.actor_name, row.rationale],
        ['blue', '2026-11-23', 'Rita Reviewer', 'The audit covers one ward only.'],
      );
      await assert.rejects(
        t.database.db.updateTable('rating_challenges').set({ rationale: 'changed' }).execute(),
        /rating_challenges rows cannot be changed/,
      );

      const disputed =
        // Dated as the progress update it came with (21 November), not the day it was sent.
        `${label}: Proposed Blue on 21 November 2026 and challenged on 23 November 2026: ` +
        'The audit covers one ward only.';
      assert.ok((await pageText(viewer, base())).includes(disputed), 'the overview lists the dispute with the reasons');
      const action = await pageText(viewer, `${base()}/actions/${actionId}`);
      assert.match(
        action,
        new RegExp(
          /Blue Proposed Blue, not agreed: the proposal was challenged on 23 November 2026\. /.source +
            /Information: Why the proposal was challenged: The audit covers one ward only\./.source,
        ),
      );
      assert.match(
        action,
        /23 November 2026 Challenged the proposal Blue Rita Reviewer The audit covers one ward only\./,
      );
      const again = await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'challenge',
        challengeRationale: 'Still one ward.',
      });
      assert.equal(again.statusCode, 400);
      assert.match(
        visibleText(again.body),
        /There is no proposed rating waiting for the group to decide on, so there is nothing to challenge/,
      );
      const api = await viewer.getJson(`/api${base()}/actions/${actionId}`);
      assert.deepEqual(
        api.json().challenges.map((c: { rationale: string }) => c.rationale),
        ['The audit covers one ward only.'],
      );
      assert.equal(api.json().rating.challenge.rationale, 'The audit covers one ward only.');

      await editor.postForm(`${base()}/actions/${actionId}/progress/new`, {
        ...dateFields('progressOn', '2026-11-23'),
        text: 'Audited every ward.',
        proposedRating: 'green',
      });
      const overview = await pageText(viewer, base());
      assert.ok(!overview.includes(`${label}: Proposed Blue`), 'a new proposal answers the challenge');
    });

    it('refuses every change to people without the role: 403 to members, 404 to others', async () => {
      const actionId = await newAction();
      const evidenceId = await addNote(actionId, 'Minutes');
      const posts: {
        url: string;
        body: Record<string, string>;
        json: Record<string, unknown>;
        may: 'edit' | 'assure';
      }[] = [
        {
          url: `${base()}/actions/${actionId}/progress/new`,
          body: { ...dateFields('progressOn', '2026-11-23'), text: 'Done.', proposedRating: 'blue' },
          json: { progressOn: '2026-11-23', text: 'Done.' },
          may: 'edit',
        },
        {
          url: `${base()}/actions/${actionId}/evidence/new`,
          body: { kind: 'note', title: 'T', note: 'N', ...dateFields('effectiveOn', '2026-11-23') },
          json: { kind: 'note', title: 'T', note: 'N', effectiveOn: '2026-11-23' },
          may: 'edit',
        },
        {
          url: `${base()}/evidence/${evidenceId}/decision`,
          body: { decision: 'accept', version: '1' },
          json: { decision: 'accept', version: 1 },
          may: 'assure',
        },
        {
          url: `${base()}/actions/${actionId}/rating`,
          body: { decision: 'agree', rating: 'red', rationale: 'R' },
          json: { decision: 'agree', rating: 'red', rationale: 'R' },
          may: 'assure',
        },
      ];
      const apiUrl = (url: string) => `/api${url.replace(/\/new$/, '')}`;
      const before = await counts();
      for (const post of posts) {
        const refused = post.may === 'edit' ? [otherEditor, viewer, reviewer] : [otherEditor, viewer, editor];
        for (const client of refused) {
          assert.equal((await client.postForm(post.url, post.body)).statusCode, 403, `${post.url} form`);
          assert.equal((await client.sendJson('POST', apiUrl(post.url), post.json)).statusCode, 403, `${post.url} API`);
        }
        assert.equal((await outsider.postForm(post.url, post.body)).statusCode, 404, `${post.url} non-member`);
        assert.equal(
          (await outsider.sendJson('POST', apiUrl(post.url), post.json)).statusCode,
          404,
          `${post.url} non-member API`,
        );
        const allowed = post.may === 'edit' ? editor : reviewer;
        assert.equal(
          (await allowed.postForm(post.url, post.body, { csrf: false })).statusCode,
          403,
          `${post.url} without a CSRF token`,
        );
        assert.equal(
          (await allowed.sendJson('POST', apiUrl(post.url), post.json, { csrf: false })).statusCode,
          403,
          `${post.url} API without a CSRF token`,
        );
      }
      const forbidden = await otherEditor.get(`${base()}/actions/${actionId}/progress/new`);
      assert.equal(forbidden.statusCode, 403);
      assert.match(
        visibleText(forbidden.body),
        new RegExp(
          /Only editors for this action's organisations, /.source +
            /and the review's coordinators, can add progress and evidence to it/.source,
        ),
      );
      assert.equal((await editor.get(`${base()}/actions/${actionId}/rating`)).statusCode, 403);
      assert.equal((await outsider.get(`${base()}/evidence/${evidenceId}/decision`)).statusCode, 404);
      assert.deepEqual(await counts(), before);
      const status = await t.database.db
        .selectFrom('evidence_items')
        .select('status')
        .where('id', '=', evidenceId)
        .executeTakeFirstOrThrow();
      assert.equal(status.status, 'submitted');

      // The coordinator may do both.
      assert.equal((await coordinator.postForm(posts[0]?.url ?? '', posts[0]?.body ?? {})).statusCode, 303);
      assert.equal((await coordinator.postForm(posts[2]?.url ?? '', posts[2]?.body ?? {})).statusCode, 303);
    });

    it('offers each person the buttons for what they may do', async () => {
      const actionId = await newAction();
      await addNote(actionId, 'Audit');
      const url = `${base()}/actions/${actionId}`;
      const buttons = async (client: Client) => {
        const text = await pageText(client, url);
        return [
          'Post a progress update',
          'Add evidence',
          'Agree or challenge the rating',
          'Edit this action',
          'History of this action',
          'Accept Audit',
        ].filter((b) => text.includes(b));
      };
      assert.deepEqual(await buttons(editor), [
        'Post a progress update',
        'Add evidence',
        'Edit this action',
        'History of this action',
      ]);
      assert.deepEqual(await buttons(otherEditor), ['History of this action']);
      assert.deepEqual(await buttons(reviewer), [
        'Agree or challenge the rating',
        'History of this action',
        'Accept Audit',
      ]);
      assert.deepEqual(await buttons(coordinator), [
        'Post a progress update',
        'Add evidence',
        'Agree or challenge the rating',
        'Edit this action',
        'History of this action',
        'Accept Audit',
      ]);
      assert.deepEqual(await buttons(viewer), ['History of this action']);
      const page = await editor.get(url);
      assert.match(page.body, new RegExp(`href="${url}/edit"`));
      assert.match(page.body, new RegExp(`href="${url}/history"`));
      assert.equal((page.body.match(/<h1[\s>]/g) ?? []).length, 1);
    });

    it('records an audit event with the action for every change', async () => {
      const actionId = await newAction();
      await editor.postMultipart(
        `${base()}/actions/${actionId}/progress/new`,
        { ...dateFields('progressOn', '2026-11-23'), text: 'Started.', proposedRating: 'amber', evidenceTitle: 'Plan' },
        [{ field: 'evidenceFile', fileName: 'plan.pdf', contentType: 'application/pdf', bytes: pdfBytes('plan') }],
      );
      const { id: evidenceId } = await t.database.db
        .selectFrom('evidence_items')
        .select('id')
        .where('action_id', '=', actionId)
        .executeTakeFirstOrThrow();
      await reviewer.postForm(`${base()}/evidence/${evidenceId}/decision`, { decision: 'accept', version: '1' });
      await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'challenge',
        challengeRationale: 'Too early to say.',
      });
      await reviewer.postForm(`${base()}/actions/${actionId}/rating`, {
        decision: 'agree',
        rating: 'red',
        rationale: 'Not started in earnest.',
      });
      const events = await t.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action_id', '=', actionId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.entity_type, e.action, e.actor]),
        [
          ['progress_update', 'created', 'Erin Editor'],
          ['rating_event', 'created', 'Erin Editor'],
          ['evidence_item', 'created', 'Erin Editor'],
          ['evidence_item', 'updated', 'Rita Reviewer'],
          ['rating_challenge', 'created', 'Rita Reviewer'],
          ['rating_event', 'created', 'Rita Reviewer'],
        ],
      );
      for (const e of events) {
        assert.equal(e.review_id, reviewId);
        assert.ok(e.request_id, 'each event names its request');
        assert.ok(e.user_id);
        assert.ok(e.organisation_id, 'each event names the organisation acted for');
      }
      assert.deepEqual(JSON.parse(events[3]?.after ?? '{}'), {
        status: 'accepted',
        status_reason: null,
        status_by_name: 'Rita Reviewer',
        version: 2,
      });
      assert.equal(JSON.parse(events[2]?.after ?? '{}').blob_sha256, sha256(pdfBytes('plan')));
    });

    it('shows progress text as text, never as markup', async () => {
      const actionId = await newAction();
      const res = await editor.postForm(`${base()}/actions/${actionId}/progress/new`, {
        ...dateFields('progressOn', '2026-11-23'),
        text: 'Done <script>alert("progress")</script> <img src=x onerror=alert(1)>',
        proposedRating: 'none',
      });
      assert.equal(res.statusCode, 303);
      const page = await viewer.get(`${base()}/actions/${actionId}`);
      assert.ok(!page.body.includes('<script>alert("progress")</script>'));
      assert.ok(!page.body.includes('<img src=x'));
      assert.ok(
        page.body.includes(
          'Done &lt;script&gt;alert(&quot;progress&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;',
        ),
      );
    });

    it('checks the progress form: date, text and rating', async () => {
      const actionId = await newAction();
      const url = `${base()}/actions/${actionId}/progress/new`;
      const res = await editor.postForm(url, {
        ...dateFields('progressOn', '2026-11-24'),
        text: '  ',
        proposedRating: 'purple',
        evidenceTitle: 'A title without a file',
      });
      assert.equal(res.statusCode, 400);
      const text = visibleText(res.body);
      assert.match(res.body, /<title>Error: Post a progress update/);
      assert.match(
        text,
        new RegExp(
          /There is a problem The date of the update must be today or in the past /.source +
            /Enter what has been done Select a rating from the list, /.source +
            /or "No change to the rating" Select the evidence file, or leave its title and date empty/.source,
        ),
      );
      assert.match(res.body, /href="#progressOn-day"/);
      const api = await editor.sendJson('POST', `/api${url.replace(/\/new$/, '')}`, {
        progressOn: '23/11/2026',
        text: '',
      });
      assert.equal(api.statusCode, 400);
      assert.deepEqual(api.json().errors, [
        {
          field: 'progressOn',
          message: 'Enter the date of the update as a real date in the form YYYY-MM-DD, for example 2027-03-31',
        },
        { field: 'text', message: 'Enter what has been done' },
      ]);
      assert.equal(
        await t.database.db
          .selectFrom('progress_updates')
          .select('id')
          .where('action_id', '=', actionId)
          .executeTakeFirst(),
        undefined,
      );
    });

    it('takes evidence files and progress through the API', async () => {
      const actionId = await newAction();
      const pdf = pdfBytes('api');
      const file = await editor.postMultipart(
        `/api${base()}/actions/${actionId}/evidence`,
        { kind: 'file', title: 'Audit from the API', effectiveOn: '2026-11-02' },
        [{ field: 'file', fileName: 'api.pdf', contentType: 'application/pdf', bytes: pdf }],
      );
      assert.equal(file.statusCode, 201, file.body);
      assert.equal(file.json().status, 'submitted');
      const progress = await editor.sendJson('POST', `/api${base()}/actions/${actionId}/progress`, {
        progressOn: '2026-11-22',
        text: 'Posted by a script.',
        proposedRating: 'amber',
      });
      assert.equal(progress.statusCode, 201, progress.body);
      assert.ok(progress.json().ratingEventId);
      const action = (await viewer.getJson(`/api${base()}/actions/${actionId}`)).json();
      assert.deepEqual(
        action.progress.map((p: { text: string }) => p.text),
        ['Posted by a script.'],
      );
      assert.equal(action.evidence[0].download, `${base()}/evidence/${file.json().evidenceId}/file`);
      assert.equal(action.rating.proposed, 'amber');
    });
  });
}
