import type { Page } from 'playwright-core';
import { ClaspPage, FormPage, type DownloadedFile } from './clasp-page.ts';

/*
 * Versions and documents: the list of versions, issuing one, a version, a comparison, and the board
 * report as a web page.
 */

export class VersionsPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<VersionsPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/versions`);
  }

  async startIssue(): Promise<IssueVersionPage> {
    await this.page.getByRole('button', { name: 'Issue a version' }).click();
    return new IssueVersionPage(this.page, this.baseUrl);
  }

  /** The plan as it stands now, as an Excel workbook. */
  async downloadExcel(): Promise<DownloadedFile> {
    return this.download(this.page.getByRole('link', { name: 'Download the action plan as Excel (.xlsx)' }));
  }

  async openBoardReport(): Promise<BoardReportPage> {
    await this.page.getByRole('link', { name: 'Read the board report as a web page' }).click();
    await this.page.waitForURL(/\/documents\/board-report\/html$/);
    return new BoardReportPage(this.page, this.baseUrl);
  }

  /** Compares two versions ("now" for the plan as it stands). */
  async compare(from: string, to: string): Promise<ComparisonPage> {
    await this.page.getByLabel('From').selectOption(from);
    await this.page.getByLabel('To').selectOption(to);
    await this.page.getByRole('button', { name: 'Compare' }).click();
    await this.page.waitForURL(new RegExp(`/compare\\?from=${from}&to=${to}$`));
    return new ComparisonPage(this.page, this.baseUrl);
  }
}

export class IssueVersionPage extends FormPage {
  protected readonly submitLabel = 'Issue this version';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<IssueVersionPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/versions/new`);
  }

  /** Ticks what the version is for ("Health and Wellbeing Board", …). */
  async choosePurpose(purpose: string): Promise<void> {
    await this.page.getByLabel(purpose).check();
  }

  async fillSentTo(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: /Who it is sent to/ }).fill(text);
  }

  async fillComment(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: /^Comment/ }).fill(text);
  }

  /** Issues the version, which leads to the new version's page. */
  async issue(): Promise<VersionPage> {
    await this.submit();
    await this.page.waitForURL(/\/versions\/\d+$/);
    return new VersionPage(this.page, this.baseUrl);
  }
}

export class VersionPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, version: number): Promise<VersionPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/versions/${version}`);
  }

  /** The version's plan as a Word document. */
  async downloadWord(version: number): Promise<DownloadedFile> {
    return this.download(this.page.getByRole('link', { name: `Download version ${version} as Word (.docx)` }));
  }
}

export class ComparisonPage extends ClaspPage {
  /** What the comparison says, in the main part of the page. */
  async summary(): Promise<string> {
    return (await this.page.locator('main').textContent()) ?? '';
  }
}

/** The board report as the app serves it for reading in the browser: a document of its own, not an app page. */
export class BoardReportPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<BoardReportPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/documents/board-report/html`);
  }

  /** How many elements assistive technology is told are images (the charts among them). */
  async imageCount(): Promise<number> {
    return this.page.getByRole('img').count();
  }
}
