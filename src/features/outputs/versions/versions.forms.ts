import { z } from 'zod';
import { VERSION_PURPOSES } from '../../../domain/plan-snapshot.ts';
import { ALWAYS, choice, text } from '../../../platform/form-schema.ts';

/*
 * Issuing a version: what it is for, a comment and who it is sent to. One schema for the page,
 * the JSON API and `clasp version issue`, so all three are told the same things.
 */

const LIMIT = 2000;

/** In the page's words only: the API lists the purposes a script may send apart (`allowed`). */
const PURPOSE_MESSAGE = 'Select what this version is for';

/**
 * The purpose and the comment are checked together ("other" needs a comment) before the
 * recipients are, so the error summary keeps the order purpose, comment, recipients.
 */
const purposeAndComment = z
  .object({
    purpose: choice(VERSION_PURPOSES, PURPOSE_MESSAGE),
    comment: text({ max: LIMIT, label: 'The comment' }),
  })
  .superRefine((form, ctx) => {
    if (form.purpose === 'other' && !form.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Say in the comment what this version is for' });
    }
  }, ALWAYS);

export const issueVersionForm = z
  .intersection(purposeAndComment, z.object({ recipients: text({ max: LIMIT, label: 'The recipients' }) }))
  .transform(({ purpose, comment, recipients }, ctx) => {
    // A purpose that is not in the list has already been refused; this only narrows its type.
    if (purpose === '') {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: PURPOSE_MESSAGE });
      return z.NEVER;
    }
    return { purpose, comment, recipients };
  });

/** A version to issue, checked: what the service writes. */
export type IssueVersionCommand = z.output<typeof issueVersionForm>;
