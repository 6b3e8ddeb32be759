import { z } from 'zod';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import { passwordProblem } from './password-policy.ts';
import { ALWAYS, text } from '../../platform/form-schema.ts';

/*
 * The account forms: forgotten password, setting a password from a link, changing your own
 * password and making an API token, and the email address field other features' forms share.
 * Passwords are read exactly as typed: spaces at either end are part of them.
 */

/** Why a typed email address cannot be an account's, or null. */
export function emailFormatProblem(email: string): string | null {
  if (!email.trim()) return 'Enter an email address';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) || email.trim().length > 254)
    return 'Enter an email address in the correct format, like name@example.nhs.uk';
  return null;
}

/** An account's email address: stored trimmed and lower case, with a message when missing or malformed. */
export function emailAddress() {
  return text({ max: Infinity }).transform((typed, ctx) => {
    const email = normaliseEmail(typed);
    const problem = emailFormatProblem(email);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    return email;
  });
}

/**
 * The email address of a public form (sign-in, forgotten password), trimmed but in the case it
 * was typed: those pages ask only for something that looks like an address.
 */
export function typedEmailAddress(missing: string) {
  return text({ max: Infinity }).transform((email, ctx) => {
    if (!email) ctx.addIssue({ code: 'custom', message: missing });
    else if (!/^[^\s@]+@[^\s@]+$/.test(email))
      ctx.addIssue({
        code: 'custom',
        message: 'Enter an email address in the correct format, like name@example.nhs.uk',
      });
    return email;
  });
}

/** A field's text exactly as typed ('' when absent), never trimmed: a password, or an address to go back to. */
export const exactText = z
  .unknown()
  .optional()
  .transform((value) => {
    const one: unknown = Array.isArray(value) ? value[0] : value;
    return typeof one === 'string' ? one : '';
  });

export const forgotPasswordForm = z.object({ email: typedEmailAddress('Enter your email address') });

export type ForgotPasswordCommand = z.output<typeof forgotPasswordForm>;

/** Whose password it is: a new password must not contain their name or email address. */
export interface PasswordOwner {
  email: string;
  name: string;
}

/** A new password typed twice, checked against the rules for the account's owner. */
function newPasswordFields(owner: PasswordOwner) {
  return {
    password: exactText.superRefine((password, ctx) => {
      const problem = passwordProblem(password, owner);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    confirm: exactText,
  };
}

/** The passwords must match, checked only once the new password itself is acceptable. */
function matchingPasswords(form: { password: unknown; confirm: unknown }, ctx: z.RefinementCtx, owner: PasswordOwner) {
  if (typeof form.password !== 'string' || passwordProblem(form.password, owner)) return;
  if (form.password !== form.confirm) {
    ctx.addIssue({
      code: 'custom',
      path: ['confirm'],
      message: 'The passwords do not match. Type the same password twice',
    });
  }
}

/** Setting a password from a single-use link (a reset, or an invitation's first password). */
export function setPasswordForm(account: PasswordOwner) {
  return z
    .object(newPasswordFields(account))
    .superRefine((form, ctx) => matchingPasswords(form, ctx, account), ALWAYS)
    .transform(({ password }) => ({ password }));
}

export type SetPasswordCommand = z.output<ReturnType<typeof setPasswordForm>>;

export type CurrentPasswordCheck = 'right' | 'wrong' | 'throttled';

/** What changing your own password is checked against: your address, and your current password. */
export interface ChangePasswordRules extends PasswordOwner {
  /**
   * Whether this is the account's current password, or 'throttled' when too many wrong guesses
   * were made lately and it was not checked.
   */
  checkCurrentPassword: (password: string) => Promise<CurrentPasswordCheck>;
}

export const CURRENT_PASSWORD_THROTTLED =
  'Too many wrong passwords. Wait 15 minutes and try again, or sign out and reset your password';

export function changePasswordForm(rules: ChangePasswordRules) {
  // The current password, whose check waits for its hash, is read as a part of its own ahead of
  // the new one: an object lists the problems of fields that wait after those that do not.
  const current = z.object({
    current: exactText.superRefine(async (typed, ctx) => {
      if (!typed) ctx.addIssue({ code: 'custom', message: 'Enter your current password' });
      else {
        const check = await rules.checkCurrentPassword(typed);
        if (check === 'wrong') ctx.addIssue({ code: 'custom', message: 'Your current password is not right' });
        if (check === 'throttled') ctx.addIssue({ code: 'custom', message: CURRENT_PASSWORD_THROTTLED });
      }
    }),
  });
  return z
    .intersection(current, z.object(newPasswordFields(rules)))
    .superRefine((form, ctx) => matchingPasswords(form, ctx, rules), ALWAYS)
    .transform(({ password }) => ({ password }));
}

export type ChangePasswordCommand = z.output<ReturnType<typeof changePasswordForm>>;

/** Making an API token: what it is for (kept to its first 100 characters). */
export const apiTokenForm = z.object({
  tokenName: text({
    required: 'Enter what the token is for, for example "Monthly board report script"',
    max: Infinity,
  }),
});

export type ApiTokenCommand = z.output<typeof apiTokenForm>;
