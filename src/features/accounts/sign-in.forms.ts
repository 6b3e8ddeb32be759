import { z } from 'zod';
import { exactText, typedEmailAddress } from './accounts.forms.ts';

/*
 * The sign-in form: an email address, a password and the page to go back to. Only whether the
 * fields are filled in is checked here; whether they are right is the sign-in's answer, which is
 * the same whatever was wrong.
 */

/** Only paths on this site, so a link cannot send someone elsewhere after they sign in. */
export function safeNext(value: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/sign-') ? value : '/my-work';
}

export const signInForm = z.object({
  email: typedEmailAddress('Enter your email address'),
  password: exactText.superRefine((password, ctx) => {
    if (!password) ctx.addIssue({ code: 'custom', message: 'Enter your password' });
  }),
  next: exactText.transform(safeNext),
});

export type SignInCommand = z.output<typeof signInForm>;

/**
 * Signing out: this session, or (from the account page) one of the person's other sessions by its
 * id, or every other session with scope "others".
 */
export const signOutForm = z.object({ session: exactText, scope: exactText });
