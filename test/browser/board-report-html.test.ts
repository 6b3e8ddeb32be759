import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { boardToHtml } from '../../src/features/outputs/board-report/board-html.ts';
import { buildBoardReport } from '../../src/features/outputs/board-report/board-model.ts';
import { comparePlans } from '../../src/domain/compare-plans.ts';
import type { PlanSnapshot } from '../../src/domain/plan-snapshot.ts';
import { sampleBoardReport } from '../helpers/board-report.ts';
import { launchBrowser } from './browser.ts';
import { BoardReportHtmlPage, squash } from './pages.ts';

/*
 * The board report's HTML in Chromium, as a board member opens it from an email or the app:
 * no WCAG 2.2 AA failures found by axe, charts a screen reader announces as named images,
 * styles that still apply under the app's nonce-only Content Security Policy, and a printed
 * copy with the rating key at the foot of every page.
 */

const SCREENSHOT = '/tmp/board-html.png';
const NONCE = 'dGVzdC1ub25jZQ';
/** The app's policy for its own pages (src/platform/http.ts), with the nonce for this page's style. */
const STRICT_CSP =
  `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${NONCE}'; ` +
  "img-src 'self' data:; object-src 'none'; base-uri 'self'";

/**
 * The Rotherham demo's own report, worked out from its snapshot by the report model, compared
 * with an earlier state of the plan in which one action had another lead, date and rating and
 * lacked its latest progress: real words, 88 exceptions and changes of every common kind.
 */
function demoPlanReportHtml(): string {
  const current = JSON.parse(
    readFileSync(new URL('../fixtures/snapshots/rotherham-demo.json', import.meta.url), 'utf8'),
  ) as PlanSnapshot;
  const previous = structuredClone(current);
  previous.takenAt = '2016-05-19T16:00:00.000Z';
  previous.asOf = '2016-05-19';
  const action = previous.actions[0];
  assert.ok(action);
  action.lead = 'Named GP Safeguarding';
  action.dateWords = '31 March 2016';
  action.dueDate = '2016-03-31';
  action.rating = 'amber';
  action.progress = action.progress.slice(0, -1);
  const report = buildBoardReport({ current, previous, changes: comparePlans(previous, current) });
  assert.ok(report.changes && !report.changes.unchanged, 'the comparison finds the changes');
  return boardToHtml(report);
}

describe('the board report as HTML in a browser', () => {
  let browser: Browser;
  const report = sampleBoardReport();
  const html = boardToHtml(report, { nonce: NONCE });

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser.close();
  });

  it('passes axe-core (WCAG 2.2 AA and best practice) and has one h1', async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, html);
    try {
      assert.equal(await page.title(), 'Rotherham: progress of the CLAS action plan, 31 July 2016');
      assert.deepEqual((await page.headings()).slice(0, 3), [
        'Rotherham: progress of the CLAS action plan',
        'Key to the ratings',
        'Contents',
      ]);
      assert.equal(await page.h1Count(), 1);
      await page.expectNoAxeViolations();
    } finally {
      await page.close();
    }
  });

  it("passes axe-core on the demo plan's own report, worked out from its snapshot", async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, demoPlanReportHtml());
    try {
      assert.equal(await page.h1Count(), 1);
      assert.ok((await page.changeHeadingCount()) > 0, 'the changes are listed');
      assert.equal((await page.imageNames()).length, 2);
      await page.expectNoAxeViolations();
    } finally {
      await page.close();
    }
  });

  it('exposes each chart as an image named by its title and described by its numbers', async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, html);
    try {
      const names = await page.imageNames();
      assert.equal(names.length, 2, `two images: ${names.join(' | ')}`);
      assert.equal(
        names[0],
        squash(`${report.charts.byOrganisation.title} ${report.charts.byOrganisation.description}`),
      );
      assert.equal(names[1], squash(`${report.charts.overTime.title} ${report.charts.overTime.description}`));
      assert.equal(await page.imagesNamed(report.charts.overTime.title), 1);
      assert.equal(await page.figureCount(), 2);
      // Each table of the chart's numbers is there for a reader who cannot see the chart.
      assert.equal(await page.tablesNamed(`${report.charts.byOrganisation.title}: the numbers`), 1);
    } finally {
      await page.close();
    }
  });

  it("keeps its look under the app's nonce-only policy, with nothing refused", async () => {
    const page = await BoardReportHtmlPage.servedUnder(browser, html, STRICT_CSP);
    try {
      assert.equal(
        await page.style('heading', 'color'),
        'rgb(0, 94, 184)',
        'NHS blue headings: the nonced style applied',
      );
      assert.equal(await page.style('Amber tag', 'background-color'), 'rgb(255, 184, 28)');
      assert.equal(await page.style('Amber tag', 'color'), 'rgb(33, 43, 50)');
      assert.equal(await page.style('chart label', 'font-size'), '12px', "the charts' labels keep their size");
      assert.deepEqual(page.refusedByPolicy, []);
    } finally {
      await page.close();
    }

    // The check can fail: the same page without the nonce loses its style, and says so.
    const unstyled = await BoardReportHtmlPage.servedUnder(browser, boardToHtml(report), STRICT_CSP);
    try {
      assert.notEqual(await unstyled.style('heading', 'color'), 'rgb(0, 94, 184)');
      assert.ok(unstyled.refusedByPolicy.length > 0);
    } finally {
      await unstyled.close();
    }
  });

  it('prints on A4 with the rating key at the foot of every page, clear of the text', async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, html);
    try {
      const pages = await page.printedPages();
      assert.ok(pages.length > 2, `several printed pages (${pages.length})`);
      const footer =
        'Key: Blue Completed; Green On target; Amber Off target with remedial action; ' +
        'Red Not yet planned, started or progressed. Ratings are always given in words as well as colour. ' +
        `${report.title}, ${report.basisWords}.`;
      pages.forEach(({ lines }, i) => {
        const keyLine = lines.find((l) => l.text === 'Key:');
        assert.ok(keyLine, `page ${i + 1} has the key`);
        assert.ok(keyLine.y < 100, `page ${i + 1}: the key is at the foot of the page (y = ${keyLine.y})`);
        // Everything from the key's line down is the footer and nothing else: no text runs into it.
        const atFoot = squash(
          lines
            .filter((l) => l.y <= keyLine.y)
            .map((l) => l.text)
            .join(' '),
        );
        assert.equal(atFoot.replace(/ ([;.])/g, '$1'), footer, `page ${i + 1}: only the key at the foot`);
      });
      assert.match(pages[0]?.text ?? '', /Rotherham: progress of the CLAS action plan/);
      assert.match(pages.at(-1)?.text ?? '', /Recommendation 4\.12/);
    } finally {
      await page.close();
    }
  });

  it('takes a screenshot of the top of the report for a person to look at', async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, html);
    try {
      await page.screenshot(SCREENSHOT);
      const { size } = await fs.stat(SCREENSHOT);
      assert.ok(size > 10_000, `${SCREENSHOT} holds a rendered page (${size} bytes)`);
    } finally {
      await page.close();
    }
  });
});
