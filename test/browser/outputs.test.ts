import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { ReviewOverviewPage, VersionsPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * Versions and documents in Chromium, as the demo plan's coordinator: issue a version with
 * the form, download its Word plan and the Excel plan as the browser saves them, read the
 * board report as a web page, and compare the version with now. Every page is checked by
 * axe-core, the board report included.
 */

describe('versions and documents in a browser', () => {
  let session: BrowserSession;
  /** One tab for the whole journey. */
  let tab: Page;

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
    tab = await session.newPage();
  });

  after(async () => {
    await session.close();
  });

  const versionsPage = () => VersionsPage.goto(tab, session.baseUrl, session.reviewId);

  it('issues a version with the form, then downloads its Word plan', async () => {
    const overview = await ReviewOverviewPage.goto(tab, session.baseUrl, session.reviewId);
    const versions = await overview.clickVersions();
    await versions.expectClean('the versions page');
    const form = await versions.startIssue();
    await form.expectClean('the issue form');

    await form.submit();
    assert.match(await form.errorSummaryText(), /Select what this version is for/);
    await form.expectClean('the issue form with an error');

    await form.choosePurpose('Health and Wellbeing Board');
    await form.fillSentTo('Rotherham Health and Wellbeing Board');
    await form.fillComment('For the February board.');
    const version = await form.issue();
    assert.equal(version.url(), `${session.baseUrl}/reviews/${session.reviewId}/versions/8`);
    assert.equal(await version.h1(), 'Version 8');
    await version.expectClean('the version page');

    const word = await version.downloadWord(8);
    assert.match(word.name, /^rotherham-clas-action-plan-version-8\.docx$/);
    const { value: text } = await mammoth.extractRawText({ buffer: word.bytes });
    assert.match(text, /Recommendation 4\.8/);
    assert.match(text, /For the February board\./, 'the version control table shows the new version');
  });

  it('downloads the Excel plan of now, with one row per action', async () => {
    const excel = await (await versionsPage()).downloadExcel();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(excel.bytes as unknown as ArrayBuffer);
    assert.equal(book.worksheets[0]?.actualRowCount, 94, 'a header row and the 93 actions');
  });

  it('reads the board report as a web page, which passes axe', async () => {
    const report = await (await versionsPage()).openBoardReport();
    assert.equal(await report.h1Count(), 1);
    assert.match(await report.h1(), /Rotherham/);
    assert.ok((await report.imageCount()) >= 2, 'the two charts are images with names');
    await report.expectClean('the board report page');
  });

  it('compares version 8 with now', async () => {
    const comparison = await (await versionsPage()).compare('8', 'now');
    assert.match(await comparison.summary(), /Nothing changed between Version 8/);
    await comparison.expectClean('the comparison page');
  });
});
