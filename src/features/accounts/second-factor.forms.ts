import { z } from 'zod';
import { exactText } from './accounts.forms.ts';

/*
 * The forms of two-step verification: a code (from the app, or a recovery code at sign-in),
 * and the password that turns it off. Whether a code is right is the service's answer.
 */

export const codeForm = z.object({
  code: exactText.superRefine((code, ctx) => {
    if (!code.trim()) ctx.addIssue({ code: 'custom', message: 'Enter the code' });
    else if (code.length > 40)
      ctx.addIssue({ code: 'custom', message: 'A code is 6 digits, or 10 letters and digits' });
  }),
});

export type CodeCommand = z.output<typeof codeForm>;

export const turnOffForm = z.object({
  password: exactText.superRefine((password, ctx) => {
    if (!password) ctx.addIssue({ code: 'custom', message: 'Enter your password' });
  }),
});
