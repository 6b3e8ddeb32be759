import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { expectNoAxeViolations } from '../axe.ts';
import { expectCleanPage, takeProblems } from './problems.ts';
import { readLinks, readTableRows, type Cell } from './reading.ts';
import { exactly, squash, type Link } from './text.ts';

/* What every page of Clasp has, and how a person reads and uses it. One class per page extends it. */

export interface VerifyOptions {
  /** The page should carry breadcrumbs (every page but the list of reviews and error pages). */
  breadcrumbs: boolean;
}

/** A file the browser saved: the name it was offered under and its bytes. */
export interface DownloadedFile {
  name: string;
  bytes: Buffer;
}

/** A page class, as a way to say which page a link or button leads to. */
export type PageClass<T extends ClaspPage> = new (page: Page, baseUrl: string) => T;

/** What every page of Clasp has: a title, a heading, the NHS layout. */
export abstract class ClaspPage {
  /** The HTTP status of the response that brought the page, when it was opened by its address. */
  status: number | undefined;
  /** The address (path and query) the page was opened at, or where it was found. */
  openedPath: string;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.openedPath = page.url().startsWith(baseUrl) ? page.url().slice(baseUrl.length) : page.url();
  }

  /** Opens a page by its address, as a person typing it or following a bookmark would. */
  protected static async open<T extends ClaspPage>(
    this: PageClass<T>,
    page: Page,
    baseUrl: string,
    path: string,
  ): Promise<T> {
    const response = await page.goto(`${baseUrl}${path}`);
    const opened = new this(page, baseUrl);
    opened.status = response?.status();
    opened.openedPath = path;
    return opened;
  }

  url(): string {
    return this.page.url();
  }

  path(): string {
    return new URL(this.page.url()).pathname;
  }

  async title(): Promise<string> {
    return this.page.title();
  }

  async h1Count(): Promise<number> {
    return this.page.locator('h1').count();
  }

  async h1(): Promise<string> {
    return squash(await this.page.locator('h1').first().textContent());
  }

  /** The caption over the heading ("Review", "Recommendation 1.1", a section name). */
  async caption(): Promise<string> {
    return squash(await this.page.locator('main .nhsuk-caption-l').first().textContent());
  }

  /** The classes on the body, which say whether the NHS frontend script ran. */
  async bodyClasses(): Promise<string> {
    return this.page.evaluate(() => document.body.className);
  }

  /** Everything in the main part of the page, as a person reads it. */
  async mainText(): Promise<string> {
    return this.page.locator('main').innerText();
  }

  breadcrumbNav(): Locator {
    return this.page.locator('nav.nhsuk-breadcrumb');
  }

  /** The breadcrumb trail, in order (the small-screen "Back to" link is not part of it). */
  async breadcrumbs(): Promise<Link[]> {
    return this.links(this.breadcrumbNav().locator('ol.nhsuk-breadcrumb__list a'));
  }

  /** Follows a breadcrumb to the page it leads to. */
  async clickBreadcrumb<T extends ClaspPage>(text: string, to: PageClass<T>): Promise<T> {
    await this.follow(this.breadcrumbNav().locator('ol.nhsuk-breadcrumb__list a', { hasText: text }).first());
    return new to(this.page, this.baseUrl);
  }

  /** The warning callout that says the demo's ratings, evidence and later progress are invented. */
  illustrativeWarning(): Locator {
    return this.page.locator('.nhsuk-warning-callout.clasp-illustrative');
  }

  async illustrativeWarningText(): Promise<{ heading: string; notice: string }> {
    const warning = this.illustrativeWarning();
    return {
      heading: squash(await warning.locator('.nhsuk-warning-callout__label').textContent()),
      notice: squash(
        await warning
          .locator('p')
          .allTextContents()
          .then((texts) => texts.join(' ')),
      ),
    };
  }

  /** The value of a summary list row, by its key, as shown (line breaks kept as spaces). */
  async summaryValue(key: string): Promise<string> {
    const row = this.page.locator('.nhsuk-summary-list__row').filter({
      has: this.page.locator('.nhsuk-summary-list__key', { hasText: exactly(key) }),
    });
    assert.equal(await row.count(), 1, `one summary row "${key}" on ${this.url()}`);
    return squash(await row.locator('.nhsuk-summary-list__value').innerText());
  }

  /** The paragraphs after an h2, up to the next h2, as shown. */
  async sectionParagraphs(heading: string): Promise<string[]> {
    return this.page.evaluate((wanted) => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => h.textContent.trim() === wanted);
      if (!h2) return [];
      const out: string[] = [];
      for (let el = h2.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.tagName === 'P') out.push(el.textContent.replace(/\s+/g, ' ').trim());
      }
      return out;
    }, heading);
  }

  async headings(level: 'h2' | 'h3'): Promise<string[]> {
    return (await this.page.locator(`main ${level}`).allTextContents()).map(squash);
  }

  errorSummary(): Locator {
    return this.page.locator('.nhsuk-error-summary');
  }

  /** How many error summaries the page shows: one after a form was sent with mistakes, else none. */
  async errorSummaryCount(): Promise<number> {
    return this.errorSummary().count();
  }

  async errorSummaryText(): Promise<string> {
    return (await this.errorSummary().textContent()) ?? '';
  }

  /** How many links of the error summary lead to the field with this id. */
  async errorSummaryLinksTo(fieldId: string): Promise<number> {
    return this.errorSummary().locator(`a[href="#${fieldId}"]`).count();
  }

  /** The check on arrival: one heading, no script, CSP or loading problems, no axe violations. */
  async expectClean(what: string): Promise<void> {
    await expectCleanPage(this.page, what);
  }

  /** Axe-core alone, for the moments between arrivals (an error state, a page after a change). */
  async expectNoAxeViolations(): Promise<void> {
    await expectNoAxeViolations(this.page);
  }

  async screenshot(path: string, options: { fullPage?: boolean } = {}): Promise<void> {
    await this.page.screenshot({ path, ...options });
  }

  /**
   * What every page must be: exactly one h1, breadcrumbs where the page sits inside a review,
   * no script errors or refused or missing resources, and no axe-core violations.
   */
  async verify(options: VerifyOptions): Promise<void> {
    assert.equal(await this.h1Count(), 1, `exactly one h1 on ${this.url()}`);
    assert.notEqual(await this.h1(), '', `the h1 has text on ${this.url()}`);
    assert.match(await this.title(), / – Clasp$/, `the page title names the service on ${this.url()}`);
    if (options.breadcrumbs) {
      assert.equal(await this.breadcrumbNav().count(), 1, `breadcrumbs on ${this.url()}`);
      const crumbs = await this.breadcrumbs();
      assert.ok(crumbs.length > 0, `at least one breadcrumb on ${this.url()}`);
      for (const crumb of crumbs)
        assert.ok(crumb.text && crumb.href, `breadcrumb ${JSON.stringify(crumb)} has text and a link`);
    } else {
      assert.equal(await this.breadcrumbNav().count(), 0, `no breadcrumbs on ${this.url()}`);
    }
    // Let late resources (images, the font files' fallbacks) report before reading the problems.
    await this.page.waitForLoadState('load');
    assert.deepEqual(takeProblems(this.page), [], `the page loads cleanly: ${this.url()}`);
    await expectNoAxeViolations(this.page);
  }

  /**
   * Whether the page is wider than the window, so that a person must scroll sideways to read
   * it (WCAG 1.4.10 Reflow asks for none at 320 CSS pixels), and the elements reaching furthest.
   * The visually hidden heads of responsive tables are clipped and left out.
   */
  async horizontalOverflow(): Promise<{ scrollWidth: number; clientWidth: number; widest: string[] }> {
    const found = await this.page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      elements: [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.nhsuk-table-responsive .nhsuk-table__head'))
        .map((e) => ({
          right: Math.round(e.getBoundingClientRect().right),
          what:
            e.tagName.toLowerCase() +
            (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''),
          text: e.textContent.replace(/\s+/g, ' ').trim().slice(0, 50),
        })),
    }));
    const widest = found.elements
      .filter((e) => e.right > found.clientWidth + 1)
      .sort((a, b) => b.right - a.right)
      .filter((e, i, all) => all.findIndex((o) => o.text === e.text) === i)
      .slice(0, 3)
      .map((e) => `${e.what} reaching ${e.right}px ("${e.text}")`);
    return { scrollWidth: found.scrollWidth, clientWidth: found.clientWidth, widest };
  }

  /**
   * Cells of responsive tables that show a value with no label: on a small screen the table's
   * head is hidden and each cell carries its column's name in a nhsuk-table-responsive__heading.
   */
  async unlabelledResponsiveCells(): Promise<string[]> {
    return this.page.locator('main table.nhsuk-table-responsive tbody td').evaluateAll((cells) =>
      cells
        .filter((td) => td.textContent.trim() !== '' && td.querySelector('.nhsuk-table-responsive__heading') === null)
        .map((td) => {
          const caption = td.closest('table')?.querySelector('caption')?.textContent.trim() ?? 'a table';
          const row =
            td.closest('tr')?.querySelector('th, td')?.textContent.replace(/\s+/g, ' ').trim().slice(0, 30) ?? '';
          const cell = td.textContent.replace(/\s+/g, ' ').trim().slice(0, 30);
          return `"${caption}", row "${row}": cell "${cell}"`;
        }),
    );
  }

  /** The main table whose caption holds these words. */
  protected table(caption: string | RegExp): Locator {
    return this.page.locator('main table').filter({ has: this.page.locator('caption', { hasText: caption }) });
  }

  /** The rows of a table body as shown on a wide screen (see readTableRows). */
  protected async tableRows(rows: Locator): Promise<Cell[][]> {
    return readTableRows(rows);
  }

  protected async links(locator: Locator): Promise<Link[]> {
    return readLinks(locator);
  }

  /** Clicks a link as a person would and waits for the page it leads to. */
  protected async follow(link: Locator): Promise<void> {
    assert.equal(await link.count(), 1, `one link to follow on ${this.url()}`);
    const href = await link.getAttribute('href');
    assert.ok(href, 'the link has an address');
    const target = new URL(href, this.page.url()).href;
    await link.click();
    await this.page.waitForURL(target, { waitUntil: 'load' });
  }

  /**
   * Clicks a link that downloads a file and keeps what the browser saved. A download ends the
   * navigation that started it, which the browser reports as an aborted load; anything else
   * seen meanwhile fails.
   */
  protected async download(link: Locator): Promise<DownloadedFile> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    const saved = await file.path();
    const others = takeProblems(this.page).filter(
      (p) => !(p.includes('/documents/') && p.endsWith('net::ERR_ABORTED')),
    );
    assert.deepEqual(others, [], 'no other problems while downloading');
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(saved) };
  }
}

/** A page whose form is sent with one button. */
export abstract class FormPage extends ClaspPage {
  /** The words on the button that sends the form. */
  protected abstract readonly submitLabel: string;

  /** Sends the form as it stands (empty, if nothing was filled in). */
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: this.submitLabel, exact: true }).click();
  }
}
