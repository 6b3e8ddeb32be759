import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PlanUploadPage, ReportUploadPage, ReviewOverviewPage, ReviewsListPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * Importing in Chromium, as the demo plan's coordinator: a CQC report uploaded through the
 * page becomes a new review once its preview is confirmed; an Excel plan uploaded into the
 * demo review shows how its columns were read, and one column is corrected with its select.
 * Every page on the way is checked by axe-core (WCAG 2.2 AA and best practice), including
 * the error state of an upload sent without a file.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

describe('importing a CQC report and an existing plan in a browser', () => {
  let session: BrowserSession;

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
  });

  after(async () => {
    await session.close();
  });

  it('uploads the report, checks the preview, changes the date received and creates the review', async () => {
    await session.withPage(async (tab) => {
      const list = await ReviewsListPage.goto(tab, session.baseUrl);
      const upload = await list.clickImportReport();
      await upload.expectClean('the report upload page');

      const preview = await upload.read(path.join(fixtures, 'rotherham-2015-cqc-report.pdf'));
      assert.equal(await preview.h1(), 'Check the report before creating the review');
      assert.equal(await preview.summaryValue('Recommendations'), '24');
      assert.equal(await preview.summaryValue('Recommendation groups'), '4');
      assert.equal(await preview.summaryValue('Area'), 'Rotherham');
      assert.ok((await preview.organisationCount()) > 0, 'the organisations are listed');
      assert.match(await preview.receivedHint(), /the plan is due on 11 August 2015/);
      await preview.expectClean('the report preview');

      await preview.setDateReceived('16', '7', '2015');
      const overview = await preview.createReview();
      const reviewId = overview.reviewId();
      assert.notEqual(reviewId, session.reviewId, 'a new review, not the demo');
      assert.match(await overview.h1(), /Rotherham/);
      const review = await session.server.database.db
        .selectFrom('reviews')
        .select(['report_received', 'report_published'])
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(review, { report_received: '2015-07-16', report_published: '2015-07-14' });
      assert.equal(
        new Set(await overview.recommendationAddresses()).size,
        24,
        'the review lists its 24 recommendations',
      );
    });
  });

  it('uploads the West Sussex workbook into the demo review and corrects a column', async () => {
    await session.withPage(async (tab) => {
      const overview = await ReviewOverviewPage.goto(tab, session.baseUrl, session.reviewId);
      const upload = await overview.clickImportPlan();
      await upload.expectClean('the plan upload page');

      const preview = await upload.read(path.join(fixtures, 'west-sussex-2016-action-plan.xlsx'));
      assert.equal(await preview.h1(), 'Check the plan before importing it');
      assert.equal(await preview.columnUse('Lead'), 'lead', 'the Lead column is read as the lead officer');
      const progressBefore = Number(await preview.summaryValue('New progress entries'));
      await preview.expectClean('the plan preview');

      // The first progress column is really the person's notes: leave it out.
      assert.equal(await preview.columnUse('Progress Report / Date'), 'progress');
      await preview.chooseColumnUse('Progress Report / Date', 'ignore');
      const again = await preview.readAgain();
      assert.equal(await again.columnUse('Progress Report / Date'), 'ignore', 'the choice is kept');
      assert.ok(
        Number(await again.summaryValue('New progress entries')) < progressBefore,
        'fewer progress entries are read without that column',
      );
      await again.expectClean('the plan preview after a column was corrected');
    });
  });

  it('shows the empty upload forms’ errors accessibly', async () => {
    for (const open of [
      (tab: Page) => ReportUploadPage.goto(tab, session.baseUrl),
      (tab: Page) => PlanUploadPage.goto(tab, session.baseUrl, session.reviewId),
    ]) {
      await session.withPage(async (tab) => {
        const upload = await open(tab);
        const url = upload.openedPath;
        await upload.sendWithoutFile();
        assert.match(await upload.title(), /^Error: /, `${url}: the title says there is an error`);
        assert.equal(await upload.errorSummaryCount(), 1, `${url}: one error summary`);
        assert.equal(await upload.errorSummaryLinksTo('file'), 1, `${url}: the summary links to the file field`);
        await upload.expectClean(`${url} sent without a file`);
      });
    }
  });
});
