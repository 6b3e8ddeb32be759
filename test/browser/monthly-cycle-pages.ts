import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { ClaspPage, type DownloadedFile, type PageClass } from './pages/clasp-page.ts';
import { readTableRows } from './pages/reading.ts';
import { squash, type Link } from './pages/text.ts';

/*
 * The pages of the monthly cycle as a person reads them: My work, search, the chase list, the
 * reminders sent, an action's due date and the account's reminder choice. They read what a
 * person must see (headings, item names, links, statuses), not whole sentences.
 */

/** A path without its query or fragment: a link may carry "?returnTo=…" or "#due-date". */
export function pathOf(href: string): string {
  return new URL(href, 'http://clasp.invalid').pathname;
}

/** One row of a table as read: its table's caption, its cells' text, and its links. */
export interface TableRow {
  caption: string;
  cells: string[];
  text: string;
  links: Link[];
}

async function readTables(tables: Locator): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for (const table of await tables.all()) {
    const caption = squash(await table.locator('caption').first().textContent());
    for (const cells of await readTableRows(table.locator('tbody tr'))) {
      const texts = cells.map((c) => c.text);
      rows.push({ caption, cells: texts, text: texts.join(' | '), links: cells.flatMap((c) => c.links) });
    }
  }
  return rows;
}

/** A page of the cycle: tables of rows with links, and a link in a row to follow. */
abstract class CyclePage extends ClaspPage {
  async rows(): Promise<TableRow[]> {
    return readTables(this.page.locator('main table'));
  }

  /** The rows that name this subject and hold a link to this path. */
  async rowsFor(subject: string, path: string): Promise<TableRow[]> {
    return (await this.rows()).filter((r) => r.text.includes(subject) && r.links.some((l) => pathOf(l.href) === path));
  }

  /** The one link to `path` in the row naming `subject`. */
  protected rowLink(subject: string, path: string): Locator {
    return this.page
      .locator('main tr', { hasText: subject })
      .locator(`a[href="${path}"], a[href^="${path}?"], a[href^="${path}#"]`);
  }

  /** Follows the link to `path` in the row naming `subject`, as a person clicks it. */
  async openFromRow<T extends ClaspPage>(subject: string, path: string, to: PageClass<T>): Promise<T> {
    const link = this.rowLink(subject, path);
    assert.equal(await link.count(), 1, `one link to ${path} in the row for ${subject} on ${this.url()}`);
    await link.click();
    await this.page.waitForURL((url) => url.pathname === path, { waitUntil: 'load' });
    return new to(this.page, this.baseUrl);
  }

  /** Follows the link with these words, anywhere in the main part of the page. */
  async openLink<T extends ClaspPage>(words: string | RegExp, to: PageClass<T>): Promise<T> {
    await this.follow(this.page.locator('main a', { hasText: words }).first());
    return new to(this.page, this.baseUrl);
  }

  /** Sends a form by its button and waits for the page that answers it. */
  async press(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    await this.page.waitForLoadState('load');
  }

  /** How many forms that send something (POST) the page has. */
  async postForms(): Promise<number> {
    return this.page.locator('main form[method="post"]').count();
  }
}

/** Any page reached from a link, read the same way. */
export class AnyPage extends CyclePage {
  static async goto(page: Page, baseUrl: string, path: string): Promise<AnyPage> {
    return this.open(page, baseUrl, path);
  }
}

/** My work: where a person lands after signing in. */
export class MyWork extends CyclePage {
  static async goto(page: Page, baseUrl: string): Promise<MyWork> {
    return this.open(page, baseUrl, '/my-work');
  }

  /** The rows of the list this heading names ("Awaiting assurance (2)" is found by "Awaiting assurance"). */
  async section(heading: string): Promise<TableRow[]> {
    return (await this.rows()).filter((r) => r.caption.startsWith(heading));
  }

  /** The links to chase lists the page offers, with their CSV downloads. */
  async chaseListLinks(): Promise<Link[]> {
    return this.links(this.page.locator('main a', { hasText: /chase list/i }));
  }
}

/** Search, in one review or in all. */
export class Search extends CyclePage {
  static async goto(page: Page, baseUrl: string): Promise<Search> {
    return this.open(page, baseUrl, '/search');
  }

  /** Types words into the search box and sends them, as a person would. */
  async searchFor(words: string): Promise<void> {
    await this.page.getByLabel('Words to look for').fill(words);
    await this.press('Search');
  }

  /** Each result: its link, and the line under it (with the review's name when there are several). */
  async results(): Promise<{ heading: string; link: Link; text: string }[]> {
    return this.page.locator('main h2 + ul > li').evaluateAll((items) =>
      items.map((li) => {
        const a = li.querySelector('a');
        const h2 = li.parentElement?.previousElementSibling;
        return {
          heading: (h2?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          link: { text: (a?.textContent ?? '').replace(/\s+/g, ' ').trim(), href: a?.getAttribute('href') ?? '' },
          text: li.textContent.replace(/\s+/g, ' ').trim(),
        };
      }),
    );
  }

  async openResult<T extends ClaspPage>(href: string, to: PageClass<T>): Promise<T> {
    await this.follow(this.page.locator(`main li > a[href="${href}"]`).first());
    return new to(this.page, this.baseUrl);
  }
}

/** A review's chase list, for its coordinators. */
export class ChaseList extends CyclePage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<ChaseList> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/chase-list`);
  }

  async downloadCsv(): Promise<DownloadedFile> {
    return this.download(this.page.locator('main a', { hasText: /CSV/ }).first());
  }
}

/** The reminders sent for a review, for its coordinators. */
export class Reminders extends CyclePage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<Reminders> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/reminders`);
  }
}

/** An action, as far as its due date goes. */
export class ActionDates extends CyclePage {
  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ActionDates> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}`);
  }

  /** Follows the action's link to its due date's page (history, proposing or agreeing a date). */
  async openDueDate(): Promise<DueDate> {
    await this.follow(this.page.locator('main a[href$="/due-date"]', { hasText: /due date/i }).first());
    return new DueDate(this.page, this.baseUrl);
  }
}

/** An action's due date: its history, and proposing or agreeing a new one. */
export class DueDate extends CyclePage {
  async propose(date: string, reason: string): Promise<void> {
    const [year, month, day] = date.split('-');
    await this.page.locator('#dueDate-day').fill(String(Number(day)));
    await this.page.locator('#dueDate-month').fill(String(Number(month)));
    await this.page.locator('#dueDate-year').fill(year ?? '');
    await this.page.getByLabel('Why the due date should move').fill(reason);
    await this.press('Propose the new date');
  }

  async agree(): Promise<void> {
    await this.page.getByRole('radio', { name: /^Agree the revised date/ }).check();
    await this.press('Save the decision');
  }

  /** The rows of the due date's history, in whatever order the page keeps them. */
  async history(): Promise<TableRow[]> {
    return readTables(this.page.locator('main table', { has: this.page.locator('caption', { hasText: /due date/i }) }));
  }
}

/** A person's own account, as far as email reminders go. */
export class AccountReminders extends CyclePage {
  static async goto(page: Page, baseUrl: string): Promise<AccountReminders> {
    return this.open(page, baseUrl, '/account');
  }

  async chooseReminders(choice: string): Promise<void> {
    await this.page.getByRole('radio', { name: choice, exact: true }).check();
    await this.press('Save reminder choice');
  }

  /** The reminder choice shown as chosen. */
  async chosenReminders(): Promise<string> {
    const checked = this.page.locator('input[name="reminders"]:checked');
    assert.equal(await checked.count(), 1, 'one reminder choice is shown as chosen');
    const id = await checked.getAttribute('id');
    return squash(await this.page.locator(`label[for="${id ?? ''}"]`).textContent());
  }
}
