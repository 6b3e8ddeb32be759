import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { launchBrowser } from './browser.ts';
import { expectNoAxeViolations } from './axe.ts';
import { startDemoServer, type DemoServer } from './server.ts';
import { expectCleanPage, takeProblems, watch } from './pages.ts';

/*
 * Versions and documents in Chromium, as the demo plan's coordinator: issue a version with
 * the form, download its Word plan and the Excel plan as the browser saves them, read the
 * board report as a web page, and compare the version with now. Every page is checked by
 * axe-core, the board report included.
 */

describe('versions and documents in a browser', () => {
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

  async function download(linkName: string | RegExp): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: linkName }).click(),
    ]);
    const saved = await file.path();
    // A download ends the navigation that started it: the browser reports that load as aborted.
    const others = takeProblems(page).filter((p) => !(p.includes('/documents/') && p.endsWith('net::ERR_ABORTED')));
    assert.deepEqual(others, [], 'no other problems while downloading');
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(saved) };
  }

  it('issues a version with the form, then downloads its Word plan', async () => {
    page = watch(await coordinator.newPage(), server.baseUrl);
    await page.goto(`${server.baseUrl}/reviews/${server.reviewId}`);
    await page.getByRole('link', { name: 'Versions and documents', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/reviews/${server.reviewId}/versions`);
    await checkPage('the versions page');
    await page.getByRole('button', { name: 'Issue a version' }).click();
    await checkPage('the issue form');

    await page.getByRole('button', { name: 'Issue this version' }).click();
    assert.match((await page.locator('.nhsuk-error-summary').textContent()) ?? '', /Select what this version is for/);
    await checkPage('the issue form with an error');

    await page.getByLabel('Health and Wellbeing Board').check();
    await page.getByRole('textbox', { name: /Who it is sent to/ }).fill('Rotherham Health and Wellbeing Board');
    await page.getByRole('textbox', { name: /^Comment/ }).fill('For the February board.');
    await page.getByRole('button', { name: 'Issue this version' }).click();
    await page.waitForURL(`${server.baseUrl}/reviews/${server.reviewId}/versions/8`);
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Version 8');
    await checkPage('the version page');

    const word = await download('Download version 8 as Word (.docx)');
    assert.match(word.name, /^rotherham-clas-action-plan-version-8\.docx$/);
    const { value: text } = await mammoth.extractRawText({ buffer: word.bytes });
    assert.match(text, /Recommendation 4\.8/);
    assert.match(text, /For the February board\./, 'the version control table shows the new version');
  });

  it('downloads the Excel plan of now, with one row per action', async () => {
    await page.goto(`${server.baseUrl}/reviews/${server.reviewId}/versions`);
    const excel = await download('Download the action plan as Excel (.xlsx)');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(excel.bytes as unknown as ArrayBuffer);
    assert.equal(book.worksheets[0]?.actualRowCount, 94, 'a header row and the 93 actions');
  });

  it('reads the board report as a web page, which passes axe', async () => {
    await page.goto(`${server.baseUrl}/reviews/${server.reviewId}/versions`);
    await page.getByRole('link', { name: 'Read the board report as a web page' }).click();
    await page.waitForURL(/\/documents\/board-report\/html$/);
    assert.equal(await page.locator('h1').count(), 1);
    assert.match((await page.locator('h1').textContent()) ?? '', /Rotherham/);
    assert.ok((await page.getByRole('img').count()) >= 2, 'the two charts are images with names');
    await expectNoAxeViolations(page);
  });

  it('compares version 8 with now', async () => {
    await page.goto(`${server.baseUrl}/reviews/${server.reviewId}/versions`);
    await page.getByLabel('From').selectOption('8');
    await page.getByLabel('To').selectOption('now');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/\/compare\?from=8&to=now$/);
    assert.match((await page.locator('main').textContent()) ?? '', /Nothing changed between Version 8/);
    await checkPage('the comparison page');
  });
});
