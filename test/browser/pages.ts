import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { AXE_SOURCE_HASH, expectNoAxeViolations } from './axe.ts';

/* Page objects: what a person sees on each page of Clasp, and where they can go from it. */

export interface Link {
  text: string;
  href: string;
}

/** The ratings a tag may show: the four BRAG colours, or none yet. */
export const RATING_WORDS = ['Blue', 'Red', 'Amber', 'Green', 'Not rated'] as const;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '11 August 2015' → '2015-08-11'; throws on anything else, so a malformed date fails loudly. */
export function isoFromLongDate(text: string): string {
  const match = /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[2] ?? '') : -1;
  if (!match || month < 0) throw new Error(`"${text}" is not a date written like "11 August 2015"`);
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${String(match[1]).padStart(2, '0')}`;
}

const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Problems a person would not see but that break the page: script errors, resources of the
 * app's own origin that fail to load, and anything the Content Security Policy refuses.
 * Axe's own injection is refused by the CSP by design (see axe.ts) and is not counted.
 */
export class PageProblems {
  readonly problems: string[] = [];

  constructor(
    readonly page: Page,
    readonly origin: string,
  ) {
    page.on('pageerror', (error) => this.problems.push(`script error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text) && !text.includes(AXE_SOURCE_HASH)) this.problems.push(`CSP: ${text}`);
    });
    page.on('requestfailed', (request) => {
      if (request.url().startsWith(origin))
        this.problems.push(`failed to load ${request.url()}: ${request.failure()?.errorText ?? ''}`);
    });
    page.on('response', (response) => {
      const request = response.request();
      if (response.url().startsWith(origin) && request.resourceType() !== 'document' && response.status() >= 400) {
        this.problems.push(`${response.status()} for ${response.url()}`);
      }
    });
  }

  /** Returns and forgets what has been seen so far. */
  take(): string[] {
    return this.problems.splice(0);
  }
}

const problemMonitors = new WeakMap<Page, PageProblems>();

/** Starts watching a new page for script errors, CSP refusals and missing resources. */
export function watch(page: Page, origin: string): Page {
  if (!problemMonitors.has(page)) problemMonitors.set(page, new PageProblems(page, origin));
  return page;
}

/** What the watch on a page has seen since last asked: script errors, CSP refusals, failed loads. */
export function takeProblems(page: Page): string[] {
  return problemMonitors.get(page)?.take() ?? [];
}

/** A page checked on arrival: one heading, no script, CSP or loading problems, no axe violations. */
export async function expectCleanPage(page: Page, what: string): Promise<void> {
  assert.equal(await page.locator('h1').count(), 1, `${what} has one heading`);
  await expectNoAxeViolations(page);
  assert.deepEqual(takeProblems(page), [], `${what}: no script, CSP or loading problems`);
}

export interface Cell {
  header: boolean;
  text: string;
  links: Link[];
  tags: string[];
  spans: string[];
}

export interface VerifyOptions {
  /** The page should carry breadcrumbs (every page but the list of reviews and error pages). */
  breadcrumbs: boolean;
}

/** What every page of Clasp has: a title, a heading, the NHS layout. */
export abstract class ClaspPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

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

  breadcrumbNav(): Locator {
    return this.page.locator('nav.nhsuk-breadcrumb');
  }

  /** The breadcrumb trail, in order (the small-screen "Back to" link is not part of it). */
  async breadcrumbs(): Promise<Link[]> {
    return this.links(this.breadcrumbNav().locator('ol.nhsuk-breadcrumb__list a'));
  }

  async clickBreadcrumb(text: string): Promise<void> {
    await this.follow(this.breadcrumbNav().locator('ol.nhsuk-breadcrumb__list a', { hasText: text }).first());
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
      has: this.page.locator('.nhsuk-summary-list__key', { hasText: new RegExp(`^\\s*${escapeRegExp(key)}\\s*$`) }),
    });
    assert.equal(await row.count(), 1, `one summary row "${key}" on ${this.url()}`);
    return squash(await row.locator('.nhsuk-summary-list__value').innerText());
  }

  /** The paragraphs after an h2, up to the next h2, as shown. */
  async sectionParagraphs(heading: string): Promise<string[]> {
    return this.page.evaluate((wanted) => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => (h.textContent ?? '').trim() === wanted);
      if (!h2) return [];
      const out: string[] = [];
      for (let el = h2.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.tagName === 'P') out.push((el.textContent ?? '').replace(/\s+/g, ' ').trim());
      }
      return out;
    }, heading);
  }

  async headings(level: 'h2' | 'h3'): Promise<string[]> {
    return (await this.page.locator(`main ${level}`).allTextContents()).map(squash);
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
    const problems = problemMonitors.get(this.page)?.take() ?? [];
    assert.deepEqual(problems, [], `the page loads cleanly: ${this.url()}`);
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
          what: `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`,
          text: (e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50),
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
        .filter(
          (td) => (td.textContent ?? '').trim() !== '' && td.querySelector('.nhsuk-table-responsive__heading') === null,
        )
        .map((td) => {
          const caption = td.closest('table')?.querySelector('caption')?.textContent?.trim() ?? 'a table';
          const row =
            td.closest('tr')?.querySelector('th, td')?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 30) ?? '';
          return `"${caption}", row "${row}": cell "${(td.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)}"`;
        }),
    );
  }

  /**
   * The rows of a table body as shown on a wide screen: each cell's text (without the
   * headings repeated for small screens), links and tags. Callbacks run in the page declare
   * no named functions: tsx would wrap those in a helper the page does not have.
   */
  protected async tableRows(rows: Locator): Promise<Cell[][]> {
    const raw = await rows.evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll(':scope > td, :scope > th')].map((cell) => {
          const copy = cell.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.nhsuk-table-responsive__heading').forEach((h) => h.remove());
          copy.querySelectorAll('br').forEach((br) => br.replaceWith(' '));
          return {
            header: cell.tagName === 'TH',
            text: copy.textContent ?? '',
            links: [...copy.querySelectorAll('a')].map((a) => ({
              text: a.textContent ?? '',
              href: a.getAttribute('href') ?? '',
            })),
            tags: [...copy.querySelectorAll('.nhsuk-tag')].map((t) => t.textContent ?? ''),
            spans: [...copy.querySelectorAll('span')].map((t) => t.textContent ?? ''),
          };
        }),
      ),
    );
    return raw.map((row) =>
      row.map((cell) => ({
        header: cell.header,
        text: squash(cell.text),
        links: cell.links.map((l) => ({ text: squash(l.text), href: l.href })),
        tags: cell.tags.map(squash),
        spans: cell.spans.map(squash),
      })),
    );
  }

  protected async links(locator: Locator): Promise<Link[]> {
    return locator.evaluateAll((anchors) =>
      anchors.map((a) => ({
        text: (a.textContent ?? '').replace(/\s+/g, ' ').trim(),
        href: a.getAttribute('href') ?? '',
      })),
    );
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
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------

export interface ReviewListItem {
  title: string;
  href: string;
  summary: string;
  demo: boolean;
}

export class ReviewsListPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<ReviewsListPage> {
    await page.goto(`${baseUrl}/reviews`);
    return new ReviewsListPage(page, baseUrl);
  }

  async reviews(): Promise<ReviewListItem[]> {
    return this.page.locator('main ul.nhsuk-list > li').evaluateAll((items) =>
      items.map((li) => {
        const a = li.querySelector('h2 a');
        return {
          title: (a?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          href: a?.getAttribute('href') ?? '',
          summary: (li.querySelector('p')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          demo: [...li.querySelectorAll('.nhsuk-tag')].some((t) =>
            /Demo with illustrative data/.test(t.textContent ?? ''),
          ),
        };
      }),
    );
  }

  async openReview(titleText: string | RegExp): Promise<ReviewOverviewPage> {
    await this.follow(this.page.locator('main h2 a', { hasText: titleText }));
    return new ReviewOverviewPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

export interface RatingRow {
  number: string;
  href: string;
  text: string;
  rating: string;
  total: number;
  counts: number[];
}

export interface ExceptionGroup {
  heading: string;
  items: { label: string; reason: string; href: string | null }[];
}

export class ReviewOverviewPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<ReviewOverviewPage> {
    await page.goto(`${baseUrl}/reviews/${reviewId}`);
    return new ReviewOverviewPage(page, baseUrl);
  }

  table(caption: string): Locator {
    return this.page.locator('main table').filter({ has: this.page.locator('caption', { hasText: caption }) });
  }

  /** The "Ratings by recommendation" rows, one per recommendation (the whole-plan total row is apart). */
  async ratingRows(): Promise<RatingRow[]> {
    const rows = await this.tableRows(this.table('Ratings by recommendation').locator('tbody tr'));
    return rows
      .filter((cells) => !cells.some((c) => c.header))
      .map((cells) => ({
        number: cells[0]?.links[0]?.text ?? '',
        href: cells[0]?.links[0]?.href ?? '',
        text: cells[0]?.spans[0] ?? '',
        rating: cells[1]?.tags[0] ?? '',
        total: Number(cells[2]?.text),
        counts: cells.slice(3).map((c) => Number(c.text)),
      }));
  }

  /** The "Whole plan" row: total actions, then counts per rating and not rated. */
  async wholePlanRow(): Promise<number[]> {
    const row = this.table('Ratings by recommendation').locator('tfoot tr', {
      has: this.page.locator('th', { hasText: 'Whole plan' }),
    });
    // Each cell starts with its column's name for small screens ("Actions 93"); the figure is last.
    return (await row.locator('td.nhsuk-table__cell--numeric').allTextContents()).map((t) =>
      Number(squash(t).split(' ').at(-1)),
    );
  }

  async ratingHeadings(): Promise<string[]> {
    return (await this.table('Ratings by recommendation').locator('thead th').allTextContents()).map(squash);
  }

  async organisationRows(): Promise<{ name: string; rating: string; total: number }[]> {
    const rows = await this.tableRows(this.table('Ratings by organisation').locator('tbody tr'));
    return rows.map((cells) => ({
      name: cells[0]?.text ?? '',
      rating: cells[1]?.tags[0] ?? '',
      total: Number(cells[2]?.text),
    }));
  }

  /** The exception list: one group per kind, each item "label: reason". */
  async exceptions(): Promise<ExceptionGroup[]> {
    return this.page.evaluate(() => {
      const start = document.getElementById('exceptions');
      const groups: { heading: string; items: { label: string; reason: string; href: string | null }[] }[] = [];
      if (!start) return groups;
      let current: (typeof groups)[number] | undefined;
      for (let el = start.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.tagName === 'H3') {
          current = { heading: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), items: [] };
          groups.push(current);
        } else if (el.tagName === 'UL' && current) {
          for (const li of el.querySelectorAll(':scope > li')) {
            const whole = (li.textContent ?? '').replace(/\s+/g, ' ').trim();
            const at = whole.indexOf(': ');
            const a = li.querySelector('a');
            current.items.push({
              label: at >= 0 ? whole.slice(0, at) : whole,
              reason: at >= 0 ? whole.slice(at + 2) : '',
              href: a?.getAttribute('href') ?? null,
            });
          }
        }
      }
      return groups;
    });
  }

  /** The links of the contents list at the top of the page. */
  async contents(): Promise<Link[]> {
    return this.links(this.page.locator('nav.nhsuk-contents-list a'));
  }

  async clickRecommendation(number: string): Promise<RecommendationPage> {
    const link = this.table('Ratings by recommendation').locator('tbody td a', {
      hasText: new RegExp(`^\\s*${escapeRegExp(number)}\\s*$`),
    });
    await this.follow(link);
    return new RecommendationPage(this.page, this.baseUrl);
  }

  async clickFindingsLink(): Promise<void> {
    await this.follow(this.page.locator('nav.nhsuk-contents-list a', { hasText: /^Findings/ }));
  }
}

// ---------------------------------------------------------------------------------

export interface FindingCard {
  number: string;
  href: string;
  section: string;
  text: string;
}

export interface ActionRow {
  label: string;
  href: string;
  /** The whole first cell: "Action 1: <SMART action text>". */
  summary: string;
  agency: string;
  lead: string;
  due: string;
  rating: string;
}

export class RecommendationPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<RecommendationPage> {
    await page.goto(`${baseUrl}/reviews/${reviewId}/recommendations/${encodeURIComponent(number)}`);
    return new RecommendationPage(page, baseUrl);
  }

  async text(): Promise<string> {
    return squash(await this.page.locator('main p.nhsuk-lede-text').first().textContent());
  }

  async rating(): Promise<string> {
    const line = this.page.locator('main p', { hasText: /^\s*Rating:/ }).first();
    return squash(await line.locator('.nhsuk-tag').textContent());
  }

  async findings(): Promise<FindingCard[]> {
    const cards = await this.page.locator('main .nhsuk-card').evaluateAll((elements) =>
      elements.map((card) => ({
        link: card.querySelector('.nhsuk-card__heading a')?.textContent ?? '',
        href: card.querySelector('.nhsuk-card__heading a')?.getAttribute('href') ?? '',
        section: card.querySelector('.nhsuk-u-secondary-text-colour')?.textContent ?? '',
        text: card.querySelector('.nhsuk-card__description')?.textContent ?? '',
      })),
    );
    return cards.map((c) => ({
      number: squash(c.link).replace(/^Finding\s+/, ''),
      href: c.href,
      section: squash(c.section),
      text: squash(c.text),
    }));
  }

  async outcome(): Promise<string> {
    return (await this.sectionParagraphs('Outcome')).join('\n');
  }

  async anticipatedEvidence(): Promise<string> {
    return (await this.sectionParagraphs('Anticipated evidence')).join('\n');
  }

  async actions(): Promise<ActionRow[]> {
    const table = this.page
      .locator('main table')
      .filter({ has: this.page.locator('caption', { hasText: /^Actions for recommendation/ }) });
    const rows = await this.tableRows(table.locator('tbody tr'));
    return rows.map((cells) => ({
      label: cells[0]?.links[0]?.text ?? '',
      href: cells[0]?.links[0]?.href ?? '',
      summary: cells[0]?.text ?? '',
      agency: cells[1]?.text ?? '',
      lead: cells[2]?.text ?? '',
      due: cells[3]?.text ?? '',
      rating: cells[4]?.tags[0] ?? '',
    }));
  }

  async exceptionTexts(): Promise<string[]> {
    return this.page.evaluate(() => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => (h.textContent ?? '').trim() === 'Exceptions');
      const list = h2?.nextElementSibling;
      return list
        ? [...list.querySelectorAll('li')].map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim())
        : [];
    });
  }

  async clickAction(label: string): Promise<ActionPage> {
    const link = this.page.locator('main table tbody td a', {
      hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`),
    });
    await this.follow(link);
    return new ActionPage(this.page, this.baseUrl);
  }

  async clickFinding(number: string): Promise<FindingPage> {
    const link = this.page.locator('main .nhsuk-card__heading a', {
      hasText: new RegExp(`^\\s*Finding ${escapeRegExp(number)}\\s*$`),
    });
    await this.follow(link);
    return new FindingPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

export interface RatingHistoryRow {
  date: string;
  decision: string;
  rating: string;
  by: string;
  why: string;
}

export interface ProgressEntry {
  date: string;
  illustrative: boolean;
  byline: string;
  text: string;
}

export class ActionPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ActionPage> {
    await page.goto(`${baseUrl}/reviews/${reviewId}/actions/${actionId}`);
    return new ActionPage(page, baseUrl);
  }

  async smartAction(): Promise<string> {
    return (await this.sectionParagraphs('SMART action')).join('\n');
  }

  /** The line under "Rating": the current tag and what it means ("Agreed Blue."). */
  async ratingStatus(): Promise<{ tag: string; status: string }> {
    const h2 = this.page.locator('main h2', { hasText: /^Rating$/ });
    const line = h2.locator('xpath=following-sibling::p[1]');
    const tag = squash(await line.locator('.nhsuk-tag').textContent());
    const whole = squash(await line.textContent());
    return { tag, status: whole.slice(tag.length).trim() };
  }

  ratingHistoryTable(): Locator {
    return this.page.locator('main table').filter({ has: this.page.locator('caption', { hasText: 'Rating history' }) });
  }

  async ratingHistory(): Promise<RatingHistoryRow[]> {
    const rows = await this.tableRows(this.ratingHistoryTable().locator('tbody tr'));
    return rows.map((cells) => ({
      date: cells[0]?.text ?? '',
      decision: (cells[1]?.text ?? '').replace(/\s*Illustrative$/, ''),
      rating: cells[2]?.tags[0] ?? '',
      by: cells[3]?.text ?? '',
      why: cells[4]?.text ?? '',
    }));
  }

  async progress(): Promise<ProgressEntry[]> {
    const items = await this.page.locator('main ol.clasp-progress > li').evaluateAll((elements) =>
      elements.map((li) => ({
        heading: li.querySelector('h3')?.textContent ?? '',
        tags: [...(li.querySelector('h3')?.querySelectorAll('.nhsuk-tag') ?? [])].map((t) => t.textContent ?? ''),
        paragraphs: [...li.querySelectorAll(':scope > p')].map((p) => p.textContent ?? ''),
      })),
    );
    return items.map((item) => {
      const tags = item.tags.map(squash);
      let date = squash(item.heading);
      for (const tag of tags) date = date.replace(new RegExp(`\\s*${escapeRegExp(tag)}$`), '');
      return {
        date,
        illustrative: tags.includes('Illustrative'),
        byline: squash(item.paragraphs[0]),
        text: item.paragraphs.slice(1, -1).map(squash).join('\n'),
      };
    });
  }

  async evidenceTitles(): Promise<string[]> {
    return this.page.evaluate(() => {
      const h2 = [...document.querySelectorAll('main h2')].find((h) => (h.textContent ?? '').trim() === 'Evidence');
      const list = h2?.nextElementSibling;
      if (!list || list.tagName !== 'UL') return [];
      return [...list.querySelectorAll('h3')].map((h) => (h.textContent ?? '').replace(/\s+/g, ' ').trim());
    });
  }

  /** The "For recommendation 1.1: …" line at the top of the page. */
  async recommendationLink(): Promise<Link> {
    const [link] = await this.links(this.page.locator('main p', { hasText: /^\s*For recommendation/ }).locator('a'));
    assert.ok(link, `a link back to the recommendation on ${this.url()}`);
    return link;
  }

  async clickRecommendationLink(): Promise<RecommendationPage> {
    await this.follow(this.page.locator('main p', { hasText: /^\s*For recommendation/ }).locator('a'));
    return new RecommendationPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

export class FindingPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<FindingPage> {
    await page.goto(`${baseUrl}/reviews/${reviewId}/findings/${encodeURIComponent(number)}`);
    return new FindingPage(page, baseUrl);
  }

  async text(): Promise<string> {
    return squash(await this.page.locator('main p.nhsuk-lede-text').textContent());
  }

  async kind(): Promise<string> {
    return squash(await this.page.locator('main .nhsuk-tag').first().textContent());
  }

  async recommendationLinks(): Promise<Link[]> {
    return this.links(this.page.locator('main ul.nhsuk-list a'));
  }

  async clickRecommendation(number: string): Promise<RecommendationPage> {
    await this.follow(
      this.page.locator('main ul.nhsuk-list a', {
        hasText: new RegExp(`^\\s*Recommendation ${escapeRegExp(number)}\\s*$`),
      }),
    );
    return new RecommendationPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

/** The page any unknown address gets. */
export class NotFoundPage extends ClaspPage {
  static async goto(
    page: Page,
    baseUrl: string,
    path: string,
  ): Promise<{ page: NotFoundPage; status: number | undefined }> {
    const response = await page.goto(`${baseUrl}${path}`);
    return { page: new NotFoundPage(page, baseUrl), status: response?.status() };
  }

  async linkToReviews(): Promise<Link | undefined> {
    return (await this.links(this.page.locator('main a', { hasText: 'Go to the list of reviews' })))[0];
  }
}
