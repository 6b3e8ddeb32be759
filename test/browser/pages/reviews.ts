import type { Page } from 'playwright-core';
import { ClaspPage } from './clasp-page.ts';
import { PlanUploadPage, ReportUploadPage } from './imports.ts';
import { VersionsPage } from './outputs.ts';
import { RecommendationPage } from './recommendation.ts';
import { exactly, squash, type Link } from './text.ts';

/* The list of reviews, a review's overview, and the page any unknown address gets. */

export interface ReviewListItem {
  title: string;
  href: string;
  summary: string;
  /** Where the review stands: its due position, ratings, what needs attention, its last change. */
  status: string[];
  demo: boolean;
}

export class ReviewsListPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<ReviewsListPage> {
    return this.open(page, baseUrl, '/reviews');
  }

  async reviews(): Promise<ReviewListItem[]> {
    return this.page.locator('main ul.nhsuk-list--border > li').evaluateAll((items) =>
      items.map((li) => {
        const a = li.querySelector('h2 a');
        return {
          title: (a?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          href: a?.getAttribute('href') ?? '',
          summary: (li.querySelector('p')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          status: [...li.querySelectorAll('ul li')].map((s) => s.textContent.replace(/\s+/g, ' ').trim()),
          demo: [...li.querySelectorAll('.nhsuk-tag')].some((t) => /Demo with illustrative data/.test(t.textContent)),
        };
      }),
    );
  }

  async openReview(titleText: string | RegExp): Promise<ReviewOverviewPage> {
    await this.follow(this.page.locator('main h2 a', { hasText: titleText }));
    return new ReviewOverviewPage(this.page, this.baseUrl);
  }

  async clickImportReport(): Promise<ReportUploadPage> {
    await this.page.getByRole('link', { name: 'Import a CQC report' }).click();
    await this.page.waitForURL(`${this.baseUrl}/reviews/import`);
    return new ReportUploadPage(this.page, this.baseUrl);
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
    return this.open(page, baseUrl, `/reviews/${reviewId}`);
  }

  /** The review's id, from the page's address. */
  reviewId(): number {
    return Number(/^\/reviews\/(\d+)/.exec(this.path())?.[1]);
  }

  /**
   * The "Ratings by recommendation" rows, one per recommendation, read from every group's table
   * (each folds away under its group; the whole plan's row is a table of its own).
   */
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
    const row = this.table('Ratings of the whole plan').locator('tbody tr', {
      has: this.page.locator('th', { hasText: 'Whole plan' }),
    });
    // Each cell starts with its column's name for small screens ("Actions 93"); the figure is last.
    return (await row.locator('td.nhsuk-table__cell--numeric').allTextContents()).map((t) =>
      Number(squash(t).split(' ').at(-1)),
    );
  }

  /** The column headings of the recommendations' tables (every group's table has the same). */
  async ratingHeadings(): Promise<string[]> {
    return (await this.table('Ratings by recommendation').first().locator('thead th').allTextContents()).map(squash);
  }

  async organisationRows(): Promise<{ name: string; rating: string; total: number }[]> {
    const rows = await this.tableRows(this.table('Ratings by organisation').locator('tbody tr'));
    return rows.map((cells) => ({
      name: cells[0]?.text ?? '',
      rating: cells[1]?.tags[0] ?? '',
      total: Number(cells[2]?.text),
    }));
  }

  /** Every address on the page of one of the review's numbered recommendations ("…/recommendations/4.12"). */
  async recommendationAddresses(): Promise<string[]> {
    return this.page
      .locator(`a[href^="/reviews/${this.reviewId()}/recommendations/"]`)
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute('href') ?? '').filter((href) => /\/\d+(\.\d+)*$/.test(href)),
      );
  }

  /**
   * The exception list: one group per kind (a details element under "Needs chasing" or "Gaps in
   * the plan", its summary the kind and count), items "label: reason".
   */
  async exceptions(): Promise<ExceptionGroup[]> {
    return this.page.evaluate(() => {
      const start = document.getElementById('exceptions');
      const groups: { heading: string; items: { label: string; reason: string; href: string | null }[] }[] = [];
      if (!start) return groups;
      for (let el = start.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
        if (el.tagName === 'DETAILS') {
          const current = {
            heading: (el.querySelector('summary')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
            items: [] as (typeof groups)[number]['items'],
          };
          groups.push(current);
          for (const li of el.querySelectorAll('ul > li')) {
            const whole = li.textContent.replace(/\s+/g, ' ').trim();
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

  /** Opens the recommendation's group, when it is folded away, then follows the recommendation's link. */
  async clickRecommendation(number: string): Promise<RecommendationPage> {
    const link = this.table('Ratings by recommendation').locator('tbody td a', { hasText: exactly(number) });
    const group = this.page.locator('details', {
      has: this.page.locator('tbody td a', { hasText: exactly(number) }),
    });
    if (!(await link.isVisible())) await group.locator('summary').click();
    await this.follow(link);
    return new RecommendationPage(this.page, this.baseUrl);
  }

  async clickFindingsLink(): Promise<void> {
    await this.follow(this.page.locator('nav.nhsuk-contents-list a', { hasText: /^Findings/ }));
  }

  async clickImportPlan(): Promise<PlanUploadPage> {
    await this.page.getByRole('link', { name: 'Import an existing plan' }).click();
    await this.page.waitForURL(`${this.baseUrl}/reviews/${this.reviewId()}/import`);
    return new PlanUploadPage(this.page, this.baseUrl);
  }

  async clickVersions(): Promise<VersionsPage> {
    await this.page.getByRole('link', { name: 'Versions and documents', exact: true }).click();
    await this.page.waitForURL(`${this.baseUrl}/reviews/${this.reviewId()}/versions`);
    return new VersionsPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

/** The page any unknown address gets. */
export class NotFoundPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, path: string): Promise<NotFoundPage> {
    return this.open(page, baseUrl, path);
  }

  async linkToReviews(): Promise<Link | undefined> {
    return (await this.links(this.page.locator('main a', { hasText: 'Go to the list of reviews' })))[0];
  }
}

/** My work: where a person lands after signing in. */
export class MyWorkPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<MyWorkPage> {
    return this.open(page, baseUrl, '/my-work');
  }
}

/** Search, in one review or in all. */
export class SearchPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, query = ''): Promise<SearchPage> {
    return this.open(page, baseUrl, `/search${query ? `?q=${encodeURIComponent(query)}` : ''}`);
  }
}

/** An action's due date: its history, and proposing or agreeing a new one. */
export class DueDatePage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<DueDatePage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}/due-date`);
  }
}

/** The reminders sent for a review, for its coordinators. */
export class RemindersPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<RemindersPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/reminders`);
  }
}

/** A review's chase list, for its coordinators. */
export class ChaseListPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<ChaseListPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/chase-list`);
  }
}
