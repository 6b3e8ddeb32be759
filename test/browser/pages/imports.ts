import type { Locator, Page } from 'playwright-core';
import { ClaspPage, FormPage } from './clasp-page.ts';
import { ReviewOverviewPage } from './reviews.ts';
import { escapeRegExp } from './text.ts';

/* Importing: the upload pages for a CQC report and for an existing plan, and the previews they lead to. */

/** An upload page: one file field, and a button that reads the file into a preview. */
abstract class UploadPage extends FormPage {
  protected async upload(file: string): Promise<void> {
    await this.page.setInputFiles('#file', file);
    await this.submit();
    await this.page.waitForURL(/\/imports\/\d+$/);
    // A read longer than the upload page waits shows the reading page, which refreshes itself (no
    // JavaScript) until the preview is ready: wait for that, as a person would.
    const h1 = this.page.locator('h1');
    await h1.filter({ hasNotText: 'Reading the file' }).waitFor({ timeout: 120_000 });
  }

  /** Sends the form with no file chosen, and waits for the page that answers. */
  async sendWithoutFile(): Promise<void> {
    await this.submit();
    await this.page.waitForLoadState();
  }
}

export class ReportUploadPage extends UploadPage {
  protected readonly submitLabel = 'Read the report';

  static async goto(page: Page, baseUrl: string): Promise<ReportUploadPage> {
    return this.open(page, baseUrl, '/reviews/import');
  }

  /** Uploads a CQC report (a file on disk) and reads it into a preview. */
  async read(file: string): Promise<ReportPreviewPage> {
    await this.upload(file);
    return new ReportPreviewPage(this.page, this.baseUrl);
  }
}

export class PlanUploadPage extends UploadPage {
  protected readonly submitLabel = 'Read the plan';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<PlanUploadPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/import`);
  }

  /** Uploads an existing plan (a file on disk) and reads it into a preview. */
  async read(file: string): Promise<PlanPreviewPage> {
    await this.upload(file);
    return new PlanPreviewPage(this.page, this.baseUrl);
  }
}

// ---------------------------------------------------------------------------------

/** What was read from a CQC report, before the review is created from it. */
export class ReportPreviewPage extends ClaspPage {
  /** How many organisations the preview lists. */
  async organisationCount(): Promise<number> {
    return this.page.locator('#organisations ~ table tbody tr').count();
  }

  /** The hint under the date the report was received, which says when the plan is due. */
  async receivedHint(): Promise<string> {
    return (await this.page.locator('#received-hint').textContent()) ?? '';
  }

  async setDateReceived(day: string, month: string, year: string): Promise<void> {
    await this.page.getByLabel('Day').fill(day);
    await this.page.getByLabel('Month').fill(month);
    await this.page.getByLabel('Year').fill(year);
  }

  async createReview(): Promise<ReviewOverviewPage> {
    await this.page.getByRole('button', { name: 'Create the review' }).click();
    await this.page.waitForURL(/\/reviews\/\d+$/);
    return new ReviewOverviewPage(this.page, this.baseUrl);
  }
}

/** What was read from an existing plan, with how each column of the file is used. */
export class PlanPreviewPage extends ClaspPage {
  private column(heading: string): Locator {
    return this.page.getByLabel(new RegExp(`^\\s*Column \\d+: ${escapeRegExp(heading)}\\s*$`));
  }

  /** What the column with this heading is read as ("lead", "progress", "ignore", …). */
  async columnUse(heading: string): Promise<string> {
    return this.column(heading).inputValue();
  }

  async chooseColumnUse(heading: string, use: string): Promise<void> {
    await this.column(heading).selectOption(use);
  }

  /** Reads the file again with the columns as chosen; the page comes back at its columns. */
  async readAgain(): Promise<PlanPreviewPage> {
    await this.page.getByRole('button', { name: 'Read the file again with these columns' }).click();
    await this.page.waitForURL(/\/imports\/\d+#columns$/);
    return new PlanPreviewPage(this.page, this.baseUrl);
  }
}
