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

  /** The page's own button: the header has a Sign out button too. */
  override async submit(): Promise<void> {
    await this.page.getByRole('main').getByRole('button', { name: this.submitLabel, exact: true }).click();
  }
}

export class AccountPage extends ClaspPage {
  static async goto(page: Page, baseUrl: string): Promise<AccountPage> {
    return this.open(page, baseUrl, '/account');
  }
}

/** Setting up two-step verification: from the account page, or at sign-in when it is required. */
export class TwoStepSetUpPage extends FormPage {
  protected readonly submitLabel = 'Turn on two-step verification';

  static async goto(page: Page, baseUrl: string): Promise<TwoStepSetUpPage> {
    return this.open(page, baseUrl, '/account/two-step');
  }

  /** The key to type into an app, as the page shows it (without its spaces). */
  async key(): Promise<string> {
    return (await this.page.getByLabel('Key to type into the app').innerText()).replace(/\s/g, '');
  }

  async enterCode(code: string): Promise<RecoveryCodesPage> {
    await this.page.getByLabel('Code from the app').fill(code);
    await this.submit();
    return new RecoveryCodesPage(this.page, this.baseUrl);
  }
}

/** The recovery codes, shown once after two-step verification is turned on. */
export class RecoveryCodesPage extends ClaspPage {
  async codes(): Promise<string[]> {
    return this.page.locator('.clasp-recovery-codes code').allInnerTexts();
  }

  async continue<T extends ClaspPage>(to: PageClass<T>): Promise<T> {
    await this.page.getByRole('button', { name: 'I have saved my codes, continue' }).click();
    return new to(this.page, this.baseUrl);
  }
}

/** The second step of signing in: a code from the app or a recovery code. */
export class SignInCodePage extends FormPage {
  protected readonly submitLabel = 'Continue';

  async enterCode<T extends ClaspPage>(code: string, to: PageClass<T>): Promise<T> {
    await this.page.getByLabel('Code', { exact: true }).fill(code);
    await this.submit();
    return new to(this.page, this.baseUrl);
  }
}
