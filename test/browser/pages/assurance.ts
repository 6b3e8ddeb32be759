import type { Page } from 'playwright-core';
import { ActionPage } from './action.ts';
import { FormPage } from './clasp-page.ts';

/* The forms of assurance: posting progress, adding evidence, deciding on evidence, and agreeing a rating. */

/** A file chosen in a file field, as the browser sends it. */
export interface ChosenFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export class ProgressFormPage extends FormPage {
  protected readonly submitLabel = 'Post the update';

  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ProgressFormPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}/progress/new`);
  }

  async describeWhatWasDone(text: string): Promise<void> {
    await this.page.getByLabel('What has been done').fill(text);
  }

  async proposeRating(rating: string): Promise<void> {
    await this.page.getByRole('radio', { name: rating }).check();
  }

  async attachEvidence(file: ChosenFile, title: string): Promise<void> {
    await this.page.getByLabel('Evidence file').setInputFiles(file);
    await this.page.getByLabel('Title of the evidence').fill(title);
  }

  /** Posts the update, which leads back to the action. */
  async post(): Promise<ActionPage> {
    await this.submit();
    return new ActionPage(this.page, this.baseUrl);
  }
}

export class EvidenceFormPage extends FormPage {
  protected readonly submitLabel = 'Add the evidence';

  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<EvidenceFormPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}/evidence/new`);
  }
}

/** Where the peer challenge group accepts or rejects one piece of evidence. */
export class EvidenceDecisionPage extends FormPage {
  protected readonly submitLabel = 'Record the decision';

  static async goto(page: Page, baseUrl: string, reviewId: number, evidenceId: number): Promise<EvidenceDecisionPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/evidence/${evidenceId}/decision`);
  }
}

/** Where the peer challenge group agrees or challenges an action's rating. */
export class RatingFormPage extends FormPage {
  protected readonly submitLabel = 'Agree the rating';

  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<RatingFormPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}/rating`);
  }

  async chooseRating(rating: string): Promise<void> {
    await this.page.getByRole('radio', { name: rating }).check();
  }

  async giveReason(text: string): Promise<void> {
    await this.page.getByLabel('Why the group agreed this rating').fill(text);
  }

  /** Agrees the rating, which leads back to the action. */
  async agree(): Promise<ActionPage> {
    await this.submit();
    return new ActionPage(this.page, this.baseUrl);
  }
}
