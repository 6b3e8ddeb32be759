import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startDemoServer, type DemoServer } from './server.ts';
import { expectCleanPage, watch } from './pages.ts';

/*
 * Importing in Chromium, as the demo plan's coordinator: a CQC report uploaded through the
 * page becomes a new review once its preview is confirmed; an Excel plan uploaded into the
 * demo review shows how its columns were read, and one column is corrected with its select.
 * Every page on the way is checked by axe-core (WCAG 2.2 AA and best practice), including
 * the error state of an upload sent without a file.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

/** What a summary list row says, by its key. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.nhsuk-summary-list__row', {
    has: page.locator('.nhsuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) }),
  });
  return ((await row.locator('.nhsuk-summary-list__value').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('importing a CQC report and an existing plan in a browser', () => {
  let server: DemoServer;
  let browser: Browser;
  let coordinator: BrowserContext;
  let page: Page;

  before(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    coordinator = await server.signedInContext(browser, {
      role: 'coordinator',
      viewport: { width: 1280, height: 900 },
    });
  });

  after(async () => {
    await coordinator?.close();
    await browser?.close();
    await server?.close();
  });

  const checkPage = (what: string) => expectCleanPage(page, what);

  it('uploads the report, checks the preview, changes the date received and creates the review', async () => {
    page = watch(await coordinator.newPage(), server.baseUrl);
    await page.goto(`${server.baseUrl}/reviews`);
    await page.getByRole('link', { name: 'Import a CQC report' }).click();
    await page.waitForURL(`${server.baseUrl}/reviews/import`);
    await checkPage('the report upload page');

    await page.setInputFiles('#file', path.join(fixtures, 'rotherham-2015-cqc-report.pdf'));
    await page.getByRole('button', { name: 'Read the report' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Check the report before creating the review');
    assert.equal(await summaryValue(page, 'Recommendations'), '24');
    assert.equal(await summaryValue(page, 'Recommendation groups'), '4');
    assert.equal(await summaryValue(page, 'Area'), 'Rotherham');
    assert.ok((await page.locator('#organisations ~ table tbody tr').count()) > 0, 'the organisations are listed');
    assert.match((await page.locator('#received-hint').textContent()) ?? '', /the plan is due on 11 August 2015/);
    await checkPage('the report preview');

    await page.getByLabel('Day').fill('16');
    await page.getByLabel('Month').fill('7');
    await page.getByLabel('Year').fill('2015');
    await page.getByRole('button', { name: 'Create the review' }).click();
    await page.waitForURL(/\/reviews\/\d+$/);
    const reviewId = Number(/\/reviews\/(\d+)$/.exec(page.url())?.[1]);
    assert.notEqual(reviewId, server.reviewId, 'a new review, not the demo');
    assert.match((await page.locator('h1').textContent()) ?? '', /Rotherham/);
    const review = await server.database.db
      .selectFrom('reviews')
      .select(['report_received', 'report_published'])
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(review, { report_received: '2015-07-16', report_published: '2015-07-14' });
    const numbered = await page
      .locator(`a[href^="/reviews/${reviewId}/recommendations/"]`)
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute('href') ?? '').filter((href) => /\/\d+(\.\d+)*$/.test(href)),
      );
    assert.equal(new Set(numbered).size, 24, 'the review lists its 24 recommendations');
    await page.close();
  });

  it('uploads the West Sussex workbook into the demo review and corrects a column', async () => {
    page = watch(await coordinator.newPage(), server.baseUrl);
    await page.goto(`${server.baseUrl}/reviews/${server.reviewId}`);
    await page.getByRole('link', { name: 'Import an existing plan' }).click();
    await page.waitForURL(`${server.baseUrl}/reviews/${server.reviewId}/import`);
    await checkPage('the plan upload page');

    await page.setInputFiles('#file', path.join(fixtures, 'west-sussex-2016-action-plan.xlsx'));
    await page.getByRole('button', { name: 'Read the plan' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Check the plan before importing it');
    const lead = page.getByLabel(/^\s*Column \d+: Lead\s*$/);
    assert.equal(await lead.inputValue(), 'lead', 'the Lead column is read as the lead officer');
    const progressBefore = Number(await summaryValue(page, 'New progress entries'));
    await checkPage('the plan preview');

    // The first progress column is really the person's notes: leave it out.
    const progress = page.getByLabel(/^\s*Column \d+: Progress Report \/ Date\s*$/);
    assert.equal(await progress.inputValue(), 'progress');
    await progress.selectOption('ignore');
    await page.getByRole('button', { name: 'Read the file again with these columns' }).click();
    await page.waitForURL(/\/imports\/\d+#columns$/);
    assert.equal(
      await page.getByLabel(/^\s*Column \d+: Progress Report \/ Date\s*$/).inputValue(),
      'ignore',
      'the choice is kept',
    );
    assert.ok(
      Number(await summaryValue(page, 'New progress entries')) < progressBefore,
      'fewer progress entries are read without that column',
    );
    await checkPage('the plan preview after a column was corrected');
    await page.close();
  });

  it('shows the empty upload forms’ errors accessibly', async () => {
    for (const [url, button] of [
      ['/reviews/import', 'Read the report'],
      [`/reviews/${server.reviewId}/import`, 'Read the plan'],
    ] as const) {
      page = watch(await coordinator.newPage(), server.baseUrl);
      await page.goto(`${server.baseUrl}${url}`);
      await page.getByRole('button', { name: button }).click();
      await page.waitForLoadState();
      assert.match(await page.title(), /^Error: /, `${url}: the title says there is an error`);
      assert.equal(await page.locator('.nhsuk-error-summary').count(), 1, `${url}: one error summary`);
      assert.equal(
        await page.locator('.nhsuk-error-summary a[href="#file"]').count(),
        1,
        `${url}: the summary links to the file field`,
      );
      await checkPage(`${url} sent without a file`);
      await page.close();
    }
  });
});
