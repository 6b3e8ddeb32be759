import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client, type FilePart } from '../helpers/client.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { signedInMember } from '../helpers/people.ts';

/*
 * Dates are checked for plausibility: a progress update is dated between the day its review
 * began and today; a report is received on or after the day it was published; and a plan's
 * date words whose only date is before the review began give no due date, saying why.
 */

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => path.join(root, 'test/fixtures', name);
const REPORT_DOCX = 'rotherham-2015-cqc-report.docx';
const ROTHERHAM_PLAN = 'rotherham-2015-hwb-paper-and-action-plan.docx';
const EARLY_WORDS = 'Safeguarding PLT 6 November 2014';
const EARLY_REASON = 'No due date: 6 November 2014 is before the review began on 23 February 2015';

function docxPart(fileName: string): FilePart {
  return {
    field: 'file',
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: fs.readFileSync(fixture(fileName)),
  };
}

function dateFields(name: string, iso: string) {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
}

function importIdFrom(res: LightMyRequestResponse): number {
  assert.equal(res.statusCode, 303, res.body);
  const m = /^\/imports\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(m, `sent to the preview, not ${String(res.headers.location)}`);
  return Number(m[1]);
}

for (const target of databaseTargets) {
  describe(`plausible dates on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let actionId: number;
    let trustId: number;
    let editor: Client;
    let coordinator: Client;

    const progressUrl = () => `/reviews/${reviewId}/actions/${actionId}/progress/new`;
    const progressApi = () => `/api/reviews/${reviewId}/actions/${actionId}/progress`;
    const progressCount = async () =>
      (await db.selectFrom('progress_updates').select('id').where('action_id', '=', actionId).execute()).length;

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Datesville Hospitals NHS Foundation Trust' });
      trustId = trust;
      const icb = await createOrganisation(db, { name: 'NHS Datesville Integrated Care Board', kind: 'commissioner' });
      // The factory's review began on 13 January 2025 and its report was published on 3 March 2025.
      reviewId = await createReview(db, { area: 'Datesville', coveredOrganisationIds: [trust, icb] });
      const group = await createGroup(db, reviewId, 1, [trust]);
      const recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust] });
      editor = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: trust, role: 'editor', name: 'Eddie Editor' }),
      );
      coordinator = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: icb, role: 'coordinator', name: 'Cass Coordinator' }),
      );
    });
    after(() => t.close());

    it('refuses a progress update dated before the review began or in the future, on the page', async () => {
      const before = await progressCount();
      const cases = [
        {
          on: '2025-01-12',
          message: 'The date of the update must be on or after 13 January 2025, when the review began',
        },
        { on: '2026-11-24', message: 'The date of the update must be today or in the past' },
      ];
      for (const c of cases) {
        const res = await editor.postForm(progressUrl(), {
          ...dateFields('progressOn', c.on),
          text: 'Audit of records started.',
          proposedRating: 'none',
        });
        assert.equal(res.statusCode, 400, c.on);
        const text = visibleText(res.body);
        assert.match(text, /There is a problem/);
        assert.ok(text.includes(c.message), `${c.on}: ${text}`);
        assert.match(res.body, /href="#progressOn-day"/);
      }
      assert.equal(await progressCount(), before, 'nothing was posted');

      const onTheDay = await editor.postForm(progressUrl(), {
        ...dateFields('progressOn', '2025-01-13'),
        text: 'Audit of records started on the first day of the review.',
        proposedRating: 'none',
      });
      assert.equal(onTheDay.statusCode, 303, 'the day the review began is allowed');
      assert.equal(await progressCount(), before + 1);
    });

    it('does not read a due date from words naming only days before the review, when an action is saved', async () => {
      const res = await editor.sendJson('PUT', `/api/reviews/${reviewId}/actions/${actionId}`, {
        actionText: 'Safeguarding training for all staff',
        organisationIds: [trustId],
        dateWords: 'Safeguarding PLT 6 November 2024',
        dueDate: null,
      });
      assert.equal(res.statusCode, 400, res.body);
      const errors = res.json().errors as { field: string; message: string }[];
      assert.deepEqual(
        errors.filter((e) => e.field === 'dueDate'),
        [
          {
            field: 'dueDate',
            message:
              'No due date: 6 November 2024 is before the review began on 13 January 2025: ' +
              'enter the date the action is due, for example 31 3 2027',
          },
        ],
      );
    });

    it('refuses the same dates through the JSON API', async () => {
      const before = await progressCount();
      const early = await editor.sendJson('POST', progressApi(), { progressOn: '2024-12-31', text: 'Too early.' });
      assert.equal(early.statusCode, 400, early.body);
      assert.deepEqual(early.json().errors, [
        {
          field: 'progressOn',
          message: 'The date of the update must be on or after 13 January 2025, when the review began',
        },
      ]);
      const future = await editor.sendJson('POST', progressApi(), { progressOn: '2027-01-01', text: 'Too late.' });
      assert.equal(future.statusCode, 400, future.body);
      assert.deepEqual(future.json().errors, [
        { field: 'progressOn', message: 'The date of the update must be today or in the past' },
      ]);
      assert.equal(await progressCount(), before, 'nothing was posted');
      const today = await editor.sendJson('POST', progressApi(), { progressOn: '2026-11-23', text: 'Done today.' });
      assert.equal(today.statusCode, 201, today.body);
    });

    it('takes the publication date as the start when the review does not record its dates', async () => {
      await db.updateTable('reviews').set({ review_start: null }).where('id', '=', reviewId).execute();
      try {
        const res = await editor.sendJson('POST', progressApi(), { progressOn: '2025-03-02', text: 'Too early.' });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(res.json().errors, [
          {
            field: 'progressOn',
            message: 'The date of the update must be on or after 3 March 2025, when the review began',
          },
        ]);
      } finally {
        await db.updateTable('reviews').set({ review_start: '2025-01-13' }).where('id', '=', reviewId).execute();
      }
    });

    it('refuses a report received before it was published, on the page and through the API', async () => {
      const importId = importIdFrom(await coordinator.postMultipart('/reviews/import', {}, [docxPart(REPORT_DOCX)]));
      const reviews = async () => (await db.selectFrom('reviews').select('id').execute()).length;
      const before = await reviews();
      const message = 'The date the report was received must be on or after its publication date, 14 July 2015';

      const page = await coordinator.postForm(`/imports/${importId}/confirm`, dateFields('received', '2015-07-13'));
      assert.equal(page.statusCode, 400);
      assert.ok(visibleText(page.body).includes(message), visibleText(page.body));
      assert.match(page.body, /href="#received-day"/);

      const api = await coordinator.sendJson('POST', `/api/imports/${importId}/confirm`, { received: '2015-07-01' });
      assert.equal(api.statusCode, 400, api.body);
      assert.deepEqual(api.json().errors, [{ field: 'received', message }]);
      const future = await coordinator.sendJson('POST', `/api/imports/${importId}/confirm`, { received: '2026-11-24' });
      assert.equal(future.statusCode, 400, future.body);
      assert.deepEqual(future.json().errors, [
        { field: 'received', message: 'The date the report was received must be today or in the past' },
      ]);
      assert.equal(await reviews(), before, 'no review was created');

      // The day it was published is allowed.
      const confirmed = await coordinator.postForm(
        `/imports/${importId}/confirm`,
        dateFields('received', '2015-07-14'),
      );
      assert.equal(confirmed.statusCode, 303, confirmed.body);
      assert.equal(await reviews(), before + 1);
    });

    it('lists every action of a plan whose dates are before the review, in one warning', async () => {
      // The review's own recommendation: a file wording it as something else is taken for another review's plan.
      const { text } = await db
        .selectFrom('recommendations')
        .select('text')
        .where('review_id', '=', reviewId)
        .where('number', '=', '1.1')
        .executeTakeFirstOrThrow();
      const csv = [
        'Rec no.,Recommendation,Action,Lead,By when',
        `1.1,"${text.replace(/"/g, '""')}",Train the GP leads,Named GP,Training day 6 November 2024`,
        '1.1,,Run the first audit,Named nurse,Dec-24',
        '1.1,,Report the audit to the board,Chief nurse,31 March 2026',
      ].join('\r\n');
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [
          { field: 'file', fileName: 'plan.csv', contentType: 'text/csv', bytes: Buffer.from(csv) },
        ]),
      );
      const preview = visibleText((await coordinator.get(`/imports/${importId}`)).body);
      assert.match(
        preview,
        new RegExp(
          'No due date for 2 actions, as their dates are before the review began on 13 January 2025: ' +
            'recommendation 1\\.1, [^(]+\\(6 November 2024\\); recommendation 1\\.1, [^(]+\\(31 December 2024\\)\\. ' +
            'The date words are kept: add the due dates after importing\\.',
        ),
      );
      const confirmed = await coordinator.postForm(`/imports/${importId}/confirm`, {});
      assert.equal(confirmed.statusCode, 303, confirmed.body);
      const rows = await db
        .selectFrom('actions')
        .select(['date_words', 'due_date'])
        .where('review_id', '=', reviewId)
        .where('action_text', 'in', ['Train the GP leads', 'Run the first audit', 'Report the audit to the board'])
        .orderBy('position')
        .execute();
      assert.deepEqual(rows, [
        { date_words: 'Training day 6 November 2024', due_date: null },
        { date_words: 'Dec-24', due_date: null },
        { date_words: '31 March 2026', due_date: '2026-03-31' },
      ]);
    });

    it('imports date words from before the review with no due date, and says why', async () => {
      const rotherham = await db
        .selectFrom('reviews')
        .select(['id', 'review_start'])
        .where('area', '=', 'Rotherham')
        .executeTakeFirstOrThrow();
      assert.equal(rotherham.review_start, '2015-02-23');
      // The report's importer coordinates the review it made.
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${rotherham.id}/import`, {}, [docxPart(ROTHERHAM_PLAN)]),
      );
      const preview = visibleText((await coordinator.get(`/imports/${importId}`)).body);
      assert.match(
        preview,
        new RegExp(
          `${EARLY_REASON} \\(recommendation 1\\.1, [^)]+\\)\\. ` +
            'The date words are kept: add the due date after importing\\.',
        ),
      );
      const api = await coordinator.getJson(`/api/imports/${importId}`);
      assert.ok(
        (api.json().warnings as string[]).some((w) => w.startsWith(EARLY_REASON)),
        'the API gives the same warning',
      );

      const confirmed = await coordinator.postForm(`/imports/${importId}/confirm`, {});
      assert.equal(confirmed.statusCode, 303, confirmed.body);
      const action = await db
        .selectFrom('actions')
        .select(['id', 'date_words', 'due_date'])
        .where('review_id', '=', rotherham.id)
        .where('date_words', '=', EARLY_WORDS)
        .executeTakeFirstOrThrow();
      assert.equal(action.due_date, null, 'no due date is derived');
      const others = await db
        .selectFrom('actions')
        .select('due_date')
        .where('review_id', '=', rotherham.id)
        .where('due_date', 'is not', null)
        .execute();
      assert.ok(others.length > 0, 'later date words still give due dates');
      assert.ok(
        others.every((a) => (a.due_date ?? '') >= '2015-02-23'),
        'no due date is before the review',
      );

      const page = visibleText((await coordinator.get(`/reviews/${rotherham.id}/actions/${action.id}`)).body);
      assert.ok(page.includes(EARLY_WORDS), 'the words are kept');
      assert.ok(page.includes(`No date ${EARLY_REASON}`), page);
      assert.doesNotMatch(page, /days overdue/);
    });
  });
}

describe('clasp import report --received', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-plausible-dates-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a date before the report was published, and writes no review', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', CLASP_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [path.join(root, 'bin/clasp'), ...args], { env }, (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        });
      });
    const early = await run(['import', 'report', fixture(REPORT_DOCX), '--received', '2015-07-13']);
    assert.notEqual(early.code, 0);
    assert.equal(early.stdout, '');
    assert.match(
      early.stderr,
      /The date the report was received must be on or after its publication date, 14 July 2015/,
    );
    const reviews = await run(['reviews', '--json']);
    assert.equal(reviews.code, 0, reviews.stderr);
    assert.deepEqual(JSON.parse(reviews.stdout), [], 'no review was made');
  });
});
