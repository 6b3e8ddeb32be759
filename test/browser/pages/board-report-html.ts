import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations } from '../axe.ts';
import { squash } from './text.ts';

/*
 * The board report's HTML as a reader opens it: a file on its own (from an email), or served
 * under a Content Security Policy. Not an app page: no NHS layout, no breadcrumbs.
 */

/** Where the report is served from when it is served under a policy. */
const REPORT_URL = 'https://clasp.invalid/board-report';

/** The parts of the report whose look the tests read, and where they are. */
const PARTS = {
  heading: 'h1',
  'Amber tag': '.tag--amber',
  'chart label': 'figure svg text',
};

export type ReportPart = keyof typeof PARTS;

export interface PrintedPage {
  text: string;
  lines: { y: number; text: string }[];
}

/** What a reader of the board report sees and hears. */
export class BoardReportHtmlPage {
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

  async title(): Promise<string> {
    return this.page.title();
  }

  async h1Count(): Promise<number> {
    return this.page.locator('h1').count();
  }

  async headings(): Promise<string[]> {
    return (await this.page.locator('h1, h2').allTextContents()).map(squash);
  }

  /** The headings of the changes since the last report, one per thing that changed. */
  async changeHeadingCount(): Promise<number> {
    return this.page.locator('section:has(#changes) h3').count();
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

  /** How many images assistive technology finds by this name. */
  async imagesNamed(name: string): Promise<number> {
    return this.page.getByRole('img', { name }).count();
  }

  async figureCount(): Promise<number> {
    return this.page.getByRole('figure').count();
  }

  /** How many tables assistive technology finds by this name. */
  async tablesNamed(name: string): Promise<number> {
    return this.page.getByRole('table', { name }).count();
  }

  /** A computed style of the first of a part of the report: its heading, an Amber tag, a chart's label. */
  async style(part: ReportPart, property: string): Promise<string> {
    return this.page
      .locator(PARTS[part])
      .first()
      .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
  }

  /** The page printed to A4 as Chromium prints it, read back as text lines per page. */
  async printedPages(): Promise<PrintedPage[]> {
    // Loaded here, not at the top: the other browser tests import every page object and need no PDF reader.
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
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

  async expectNoAxeViolations(): Promise<void> {
    await expectNoAxeViolations(this.page);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
