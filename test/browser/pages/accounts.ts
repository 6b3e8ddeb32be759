import type { Page } from 'playwright-core';
import { ClaspPage, FormPage, type PageClass } from './clasp-page.ts';

/* Signing in and out, a forgotten password, and a person's own account. */

export class SignInPage extends FormPage {
  protected readonly submitLabel = 'Sign in';

  static async goto(page: Page, baseUrl: string): Promise<SignInPage> {
    return this.open(page, baseUrl, '/sign-in');
  }

  /** Opens an address that needs a person signed in: a visitor who is not is shown this page instead. */
  static async askedFor(page: Page, baseUrl: string, path: string): Promise<SignInPage> {
    return this.open(page, baseUrl, path);
  }

  /** Signs in with the form, which leads back to the page that was asked for. */
  async signIn<T extends ClaspPage>(email: string, password: string, backTo: PageClass<T>): Promise<T> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.submit();
    return new backTo(this.page, this.baseUrl);
  }
}

export class ForgotPasswordPage extends FormPage {
  protected readonly submitLabel = 'Send the link';

  static async goto(page: Page, baseUrl: string): Promise<ForgotPasswordPage> {
    return this.open(page, baseUrl, '/forgot-password');
  }
}

export class SignOutPage extends FormPage {
  protected readonly submitLabel = 'Sign out';

  static async goto(page: Page, baseUrl: string): Promise<SignOutPage> {
    return this.open(page, baseUrl, '/sign-out');
  }
}

export class AccountPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<AccountPage> {
    return this.open(page, baseUrl, '/account');
  }
}
