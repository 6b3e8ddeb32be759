import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { boardToHtml } from '../../src/features/outputs/board-report/board-html.ts';
import { buildBoardReport } from '../../src/features/outputs/board-report/board-model.ts';
import { comparePlans } from '../../src/domain/compare-plans.ts';
import type { PlanSnapshot } from '../../src/domain/plan-snapshot.ts';
import { sampleBoardReport } from '../helpers/board-report.ts';
import { launchBrowser } from './browser.ts';
import { expectNoAxeViolations } from './axe.ts';

/*
 * The board report's HTML in Chromium, as a board member opens it from an email or the app:
 * no WCAG 2.2 AA failures found by axe, charts a screen reader announces as named images,
 * styles that still apply under the app's nonce-only Content Security Policy, and a printed
 * copy with the rating key at the foot of every page.
 */

const SCREENSHOT = '/tmp/board-html.png';
const NONCE = 'dGVzdC1ub25jZQ';
/** The app's policy for its own pages (src/platform/http.ts), with the nonce for this page's style. */
const STRICT_CSP = `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${NONCE}'; img-src 'self' data:; object-src 'none'; base-uri 'self'`;
const REPORT_URL = 'https://clasp.invalid/board-report';

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

const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/** What a reader of the board report sees and hears. */
class BoardReportHtmlPage {
  readonly refusedByPolicy: string[] = [];

  private constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) this.refusedByPolicy.push(message.text());
    });
  }

  /** The page as a file opened in the browser: no policy at all. */
  static async fromContent(browser: Browser, html: string): Promise<BoardReportHtmlPage> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(html, { waitUntil: 'load' });
    return new BoardReportHtmlPage(page);
  }

  /** The page as the app serves it, under a policy that allows only the nonced style. */
  static async servedUnder(browser: Browser, html: string, policy: string): Promise<BoardReportHtmlPage> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const report = new BoardReportHtmlPage(page);
    await page.route(REPORT_URL, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': policy },
        body: html,
      }),
    );
    await page.goto(REPORT_URL, { waitUntil: 'load' });
    return report;
  }

  async headings(): Promise<string[]> {
    return (await this.page.locator('h1, h2').allTextContents()).map(squash);
  }

  /** Every element exposed to assistive technology as an image, with its accessible name. */
  async imageNames(): Promise<string[]> {
    const images = this.page.getByRole('img');
    const names: string[] = [];
    for (let i = 0; i < (await images.count()); i += 1) {
      names.push(
        squash(
          await images.nth(i).evaluate((el) => {
            const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
            return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
          }),
        ),
      );
    }
    return names;
  }

  /** A computed style of the first element matching a selector. */
  async style(selector: string, property: string): Promise<string> {
    return this.page
      .locator(selector)
      .first()
      .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
  }

  /** The page printed to A4 as Chromium prints it, read back as text lines per page. */
  async printedPages(): Promise<{ text: string; lines: { y: number; text: string }[] }[]> {
    const pdf = await this.page.pdf({ preferCSSPageSize: true, printBackground: true });
    const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    const pages = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const items = (await (await doc.getPage(n)).getTextContent()).items.flatMap((item) =>
        'str' in item && item.str.trim() ? [{ y: Math.round(item.transform[5] as number), text: item.str }] : [],
      );
      pages.push({ text: squash(items.map((i) => i.text).join(' ')), lines: items });
    }
    return pages;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

describe('the board report as HTML in a browser', () => {
  let browser: Browser;
  const report = sampleBoardReport();
  const html = boardToHtml(report, { nonce: NONCE });

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('passes axe-core (WCAG 2.2 AA and best practice) and has one h1', async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, html);
    try {
      assert.equal(await page.page.title(), 'Rotherham: progress of the CLAS action plan, 31 July 2016');
      assert.deepEqual((await page.headings()).slice(0, 3), [
        'Rotherham: progress of the CLAS action plan',
        'Key to the ratings',
        'Contents',
      ]);
      assert.equal(await page.page.locator('h1').count(), 1);
      await expectNoAxeViolations(page.page);
    } finally {
      await page.close();
    }
  });

  it("passes axe-core on the demo plan's own report, worked out from its snapshot", async () => {
    const page = await BoardReportHtmlPage.fromContent(browser, demoPlanReportHtml());
    try {
      assert.equal(await page.page.locator('h1').count(), 1);
      assert.ok((await page.page.locator('section:has(#changes) h3').count()) > 0, 'the changes are listed');
      assert.equal((await page.imageNames()).length, 2);
      await expectNoAxeViolations(page.page);
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
      assert.equal(await page.page.getByRole('img', { name: report.charts.overTime.title }).count(), 1);
      assert.equal(await page.page.getByRole('figure').count(), 2);
      // Each table of the chart's numbers is there for a reader who cannot see the chart.
      assert.equal(
        await page.page.getByRole('table', { name: `${report.charts.byOrganisation.title}: the numbers` }).count(),
        1,
      );
    } finally {
      await page.close();
    }
  });

  it("keeps its look under the app's nonce-only policy, with nothing refused", async () => {
    const page = await BoardReportHtmlPage.servedUnder(browser, html, STRICT_CSP);
    try {
      assert.equal(await page.style('h1', 'color'), 'rgb(0, 94, 184)', 'NHS blue headings: the nonced style applied');
      assert.equal(await page.style('.tag--amber', 'background-color'), 'rgb(255, 184, 28)');
      assert.equal(await page.style('.tag--amber', 'color'), 'rgb(33, 43, 50)');
      assert.equal(await page.style('figure svg text', 'font-size'), '12px', "the charts' labels keep their size");
      assert.deepEqual(page.refusedByPolicy, []);
    } finally {
      await page.close();
    }

    // The check can fail: the same page without the nonce loses its style, and says so.
    const unstyled = await BoardReportHtmlPage.servedUnder(browser, boardToHtml(report), STRICT_CSP);
    try {
      assert.notEqual(await unstyled.style('h1', 'color'), 'rgb(0, 94, 184)');
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
      const footer = `Key: Blue Completed; Green On target; Amber Off target with remedial action; Red Not yet planned, started or progressed. Ratings are always given in words as well as colour. ${report.title}, ${report.basisWords}.`;
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
      await page.page.screenshot({ path: SCREENSHOT });
      const { size } = await fs.stat(SCREENSHOT);
      assert.ok(size > 10_000, `${SCREENSHOT} holds a rendered page (${size} bytes)`);
    } finally {
      await page.close();
    }
  });
});
