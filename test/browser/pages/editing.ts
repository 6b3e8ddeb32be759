import type { Page } from 'playwright-core';
import { ClaspPage, FormPage } from './clasp-page.ts';

/*
 * Editing the plan, as its coordinator: the review, its groups, recommendations, actions and
 * findings, each with a form to add one and a form to change one, archiving, and what is archived.
 */

const inReview = (reviewId: number, rest = ''): string => `/reviews/${reviewId}${rest}`;
const recommendation = (reviewId: number, number: string): string =>
  inReview(reviewId, `/recommendations/${encodeURIComponent(number)}`);

export class NewReviewPage extends FormPage {
  protected readonly submitLabel = 'Create review';

  static async goto(page: Page, baseUrl: string): Promise<NewReviewPage> {
    return this.open(page, baseUrl, '/reviews/new');
  }
}

export class EditReviewPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<EditReviewPage> {
    return this.open(page, baseUrl, inReview(reviewId, '/edit'));
  }
}

export class NewGroupPage extends FormPage {
  protected readonly submitLabel = 'Add group';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<NewGroupPage> {
    return this.open(page, baseUrl, inReview(reviewId, '/groups/new'));
  }
}

export class EditGroupPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, reviewId: number, groupId: number): Promise<EditGroupPage> {
    return this.open(page, baseUrl, inReview(reviewId, `/groups/${groupId}/edit`));
  }
}

export class NewRecommendationPage extends FormPage {
  protected readonly submitLabel = 'Add recommendation';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<NewRecommendationPage> {
    return this.open(page, baseUrl, inReview(reviewId, '/recommendations/new'));
  }
}

export class EditRecommendationPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<EditRecommendationPage> {
    return this.open(page, baseUrl, `${recommendation(reviewId, number)}/edit`);
  }
}

export class ArchiveRecommendationPage extends FormPage {
  protected readonly submitLabel = 'Archive';

  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<ArchiveRecommendationPage> {
    return this.open(page, baseUrl, `${recommendation(reviewId, number)}/archive`);
  }
}

/** The form that adds an action to a recommendation. */
export class NewActionPage extends FormPage {
  protected readonly submitLabel = 'Add action';

  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<NewActionPage> {
    return this.open(page, baseUrl, `${recommendation(reviewId, number)}/actions/new`);
  }
}

export class EditActionPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<EditActionPage> {
    return this.open(page, baseUrl, inReview(reviewId, `/actions/${actionId}/edit`));
  }
}

export class ArchiveActionPage extends FormPage {
  protected readonly submitLabel = 'Archive';

  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ArchiveActionPage> {
    return this.open(page, baseUrl, inReview(reviewId, `/actions/${actionId}/archive`));
  }
}

export class NewFindingPage extends FormPage {
  protected readonly submitLabel = 'Add finding';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<NewFindingPage> {
    return this.open(page, baseUrl, inReview(reviewId, '/findings/new'));
  }
}

export class EditFindingPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, reviewId: number, number: string): Promise<EditFindingPage> {
    return this.open(page, baseUrl, inReview(reviewId, `/findings/${encodeURIComponent(number)}/edit`));
  }
}

/** The recommendations and actions that were archived, each with a button to restore it. */
export class ArchivedPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<ArchivedPage> {
    return this.open(page, baseUrl, inReview(reviewId, '/archived'));
  }
}
