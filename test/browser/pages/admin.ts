import type { Page } from 'playwright-core';
import { ClaspPage, FormPage } from './clasp-page.ts';

/* The system administrator's pages: people and organisations across every review. */

export class AdminPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<AdminPage> {
    return this.open(page, baseUrl, '/admin');
  }
}

export class UsersPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<UsersPage> {
    return this.open(page, baseUrl, '/admin/users');
  }
}

export class NewUserPage extends FormPage {
  protected readonly submitLabel = 'Add and send the invitation';

  static async goto(page: Page, baseUrl: string): Promise<NewUserPage> {
    return this.open(page, baseUrl, '/admin/users/new');
  }
}

export class UserPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string, userId: number): Promise<UserPage> {
    return this.open(page, baseUrl, `/admin/users/${userId}`);
  }
}

export class AdminOrganisationsPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<AdminOrganisationsPage> {
    return this.open(page, baseUrl, '/admin/organisations');
  }
}

export class NewOrganisationPage extends FormPage {
  protected readonly submitLabel = 'Add organisation';

  static async goto(page: Page, baseUrl: string): Promise<NewOrganisationPage> {
    return this.open(page, baseUrl, '/admin/organisations/new');
  }
}

export class EditOrganisationPage extends FormPage {
  protected readonly submitLabel = 'Save changes';

  static async goto(page: Page, baseUrl: string, organisationId: number): Promise<EditOrganisationPage> {
    return this.open(page, baseUrl, `/admin/organisations/${organisationId}/edit`);
  }
}

export class SecurityEventsPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<SecurityEventsPage> {
    return this.open(page, baseUrl, '/admin/security-events');
  }
}
