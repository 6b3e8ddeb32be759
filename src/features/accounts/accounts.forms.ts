import { z } from 'zod';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import { passwordProblem } from './password-policy.ts';
import { ALWAYS, choice, optionalDate, text } from '../../platform/form-schema.ts';
import { chosenIds } from '../../platform/form-rules.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { TOKEN_SCOPES, type TokenScope } from '../../domain/permissions.ts';

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

/** What a new API token may be: the choices and limits its form checks against. */
export interface ApiTokenRules {
  /** The scopes this person (or the token they act through) may give a new token. */
  scopes: readonly TokenScope[];
  /** The reviews it may be limited to: the person's own (or the acting token's). */
  reviews: readonly { id: number; area: string }[];
  /** When nothing is ticked: every review (null), or the acting token's own reviews. */
  reviewsWhenNoneTicked: readonly number[] | null;
  /** The first and last days it may expire on ('YYYY-MM-DD', in England), and the default. */
  earliest: string;
  latest: string;
  /** Why the last day is the last: a year ahead, or the acting token's own expiry. */
  latestReason: 'a year' | 'this token';
  defaultExpiry: string;
}

export const TOKEN_SCOPE_WORDS: Record<TokenScope, string> = {
  read: 'Read only',
  write: 'Read and change',
  admin: 'Administer',
};

/**
 * Making an API token: what it is for (kept to its first 100 characters), what it may do, the
 * last day it works and the reviews it is limited to (none ticked: every review).
 */
export function apiTokenForm(rules: ApiTokenRules) {
  const latest = formatLongDate(rules.latest);
  return z
    .object({
      tokenName: text({
        required: 'Enter what the token is for, for example "Monthly board report script"',
        max: Infinity,
      }),
      scope: choice(TOKEN_SCOPES, 'Select what the token may do', { required: false }).transform(
        (scope, ctx): TokenScope => {
          if (scope && !rules.scopes.includes(scope)) {
            ctx.addIssue({
              code: 'custom',
              message:
                scope === 'admin'
                  ? 'Only an administrator can create a token that administers. Select read only or read and change'
                  : 'A token cannot create a token that does more than it does. Select what this token may do, or less',
            });
          }
          return scope || 'read';
        },
      ),
      expires: optionalDate('the token expires', {
        notBefore: rules.earliest,
        notBeforeMessage: 'The date the token expires must be in the future',
        notAfter: rules.latest,
        notAfterMessage:
          rules.latestReason === 'a year'
            ? `The date the token expires must be within a year, on or before ${latest}`
            : `The date the token expires must be on or before ${latest}, when the token you are using expires`,
      }).transform((date) => date ?? rules.defaultExpiry),
      reviews: chosenIds((id) => rules.reviews.some((r) => r.id === id), {
        notListed: 'Select only reviews you are a member of',
      }).transform((ids) => (ids.length ? ids : (rules.reviewsWhenNoneTicked ?? []))),
    })
    .superRefine((form, ctx) => {
      // An administrator reads every review, so a token that administers cannot be limited to some.
      if (form.scope === 'admin' && form.reviews.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['reviews'],
          message: 'A token that administers reaches every review. Untick the reviews, or select read and change',
        });
      }
    }, ALWAYS);
}

export type ApiTokenCommand = z.output<ReturnType<typeof apiTokenForm>>;
