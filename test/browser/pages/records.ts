import type { Page } from 'playwright-core';
import { ClaspPage, FormPage } from './clasp-page.ts';

/* What a review keeps about itself: an action's history, the audit trail, an organisation's part, and its people. */

export class ActionHistoryPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, actionId: number): Promise<ActionHistoryPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/actions/${actionId}/history`);
  }
}

export class AuditTrailPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<AuditTrailPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/audit`);
  }
}

/** One organisation's part in a review. */
export class OrganisationPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, reviewId: number, organisationId: number): Promise<OrganisationPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/organisations/${organisationId}`);
  }
}

/** The people of a review and their roles, with the form that adds a person. */
export class MembersPage extends FormPage {
  protected readonly submitLabel = 'Add person';

  static async goto(page: Page, baseUrl: string, reviewId: number): Promise<MembersPage> {
    return this.open(page, baseUrl, `/reviews/${reviewId}/members`);
  }
}
